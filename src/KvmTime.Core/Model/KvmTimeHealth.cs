namespace KvmTime.Model;

/// <summary>One target's timekeeping health: a verdict, the findings behind it, and the few values a fleet view sorts by.</summary>
public sealed class KvmTimeHealth
{
    public required string ComputerName { get; init; }

    /// <summary>Linux or Windows.</summary>
    public required string OperatingSystem { get; init; }

    /// <summary>True when the target is a KVM host (its domains' clocks were checked too).</summary>
    public bool IsKvmHost { get; init; }

    /// <summary>True when the target itself runs under a hypervisor (the CPU's hypervisor flag, or Windows' HypervisorPresent).</summary>
    public bool IsVirtualMachine { get; init; }

    /// <summary>The worst severity among <see cref="Findings"/>; Healthy when there is none.</summary>
    public required HealthVerdict Verdict { get; init; }

    /// <summary>Worst first.</summary>
    public required IReadOnlyList<HealthFinding> Findings { get; init; }

    /// <summary>The clocksource in use (Linux), or the platform clock BCD selects (Windows).</summary>
    public string? Clocksource { get; init; }

    /// <summary>chronyd, ntpd, systemd-timesyncd, w32time or None.</summary>
    public string? TimeDaemon { get; init; }

    /// <summary>The clock minus true time as the time daemon estimates it; null when no daemon reports one.</summary>
    public TimeSpan? Offset { get; init; }

    /// <summary>Whether the time daemon says the clock is synchronised; null when it could not be asked.</summary>
    public bool? IsSynchronized { get; init; }

    /// <summary>On a KVM host, how many running domains had their &lt;clock&gt; checked; 0 otherwise.</summary>
    public int DomainCount { get; init; }

    /// <summary>When the target was read (UTC).</summary>
    public required DateTime CheckedAt { get; init; }

    // PowerShell calls ToString while it binds a half-built object, so a missing list must not throw.
    public override string ToString() => $"{ComputerName}: {Verdict} ({Findings?.Count ?? 0} finding{(Findings?.Count == 1 ? string.Empty : "s")})";
}
