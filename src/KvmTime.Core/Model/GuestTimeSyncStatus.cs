namespace KvmTime.Model;

/// <summary>The state of a guest's time service: which daemon runs, what it follows, how far off it is.</summary>
public sealed class GuestTimeSyncStatus
{
    public required string ComputerName { get; init; }

    /// <summary>chronyd, ntpd, ntpsec, systemd-timesyncd or None.</summary>
    public required string Daemon { get; init; }

    /// <summary>The source the daemon follows (address or name), or null when it follows none.</summary>
    public string? Source { get; init; }

    /// <summary>This machine's own stratum (the source's plus one).</summary>
    public int? Stratum { get; init; }

    /// <summary>The system clock minus true time as the daemon estimates it: positive when the clock is ahead.</summary>
    public TimeSpan? Offset { get; init; }

    /// <summary>How fast (positive) or slow the uncorrected clock runs, in ppm, in chrony's convention.</summary>
    public double? FrequencyPpm { get; init; }

    /// <summary>Normal, Insert second, Delete second or Not synchronised.</summary>
    public string? LeapStatus { get; init; }

    public required bool IsSynchronized { get; init; }

    public required IReadOnlyList<TimeSourceInfo> Sources { get; init; }

    /// <summary>The chrony configuration file that was read, if any.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>
    /// True when this machine is itself a KVM host (/dev/kvm and libvirt or QEMU installed): its clock is
    /// what its guests are set from, so it must be synchronised first.
    /// </summary>
    public bool IsKvmHost { get; init; }

    /// <summary>Windows: the NtpClient's Type (NT5DS follows the domain hierarchy, NTP the NtpServers, NoSync nothing), from w32tm /query /configuration.</summary>
    public string? SyncType { get; init; }

    /// <summary>Windows: the NtpClient's NtpServer list, each entry as configured (`name,0x9`).</summary>
    public IReadOnlyList<string>? NtpServers { get; init; }

    /// <summary>Windows: the shortest poll interval w32time allows (MinPollInterval, 2^n seconds).</summary>
    public TimeSpan? MinPollInterval { get; init; }

    /// <summary>Windows: the longest poll interval w32time allows (MaxPollInterval, 2^n seconds).</summary>
    public TimeSpan? MaxPollInterval { get; init; }

    /// <summary>Windows: the NtpClient's SpecialPollInterval, used for servers flagged 0x1.</summary>
    public TimeSpan? SpecialPollInterval { get; init; }

    /// <summary>Windows: whether the Hyper-V integration time provider (VMICTimeProvider) is enabled; null when w32tm lists none.</summary>
    public bool? HyperVTimeProviderEnabled { get; init; }

    /// <summary>Windows: where Type and NtpServer come from, as w32tm marks them: Local (registry), Policy (Group Policy), or both.</summary>
    public string? ConfigurationSource { get; init; }

    /// <summary>Settings the KVM guest guidance asks for that are missing (advice, not failures).</summary>
    public required IReadOnlyList<string> Recommendations { get; init; }

    public override string ToString() => $"{ComputerName}: {Daemon} {(IsSynchronized ? "synchronised" : "not synchronised")}";
}
