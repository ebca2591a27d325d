namespace KvmTime.Model;

/// <summary>The outcome of Set-GuestClocksource on one machine.</summary>
public sealed class ClocksourceChangeResult
{
    public required string ComputerName { get; init; }

    /// <summary>Runtime, Persistent or Both.</summary>
    public required string Scope { get; init; }

    /// <summary>The clocksource asked for; null when arguments were only removed.</summary>
    public string? Clocksource { get; init; }

    public required string PreviousClocksource { get; init; }

    /// <summary>The clocksource in use afterwards, read back from sysfs.</summary>
    public required string CurrentClocksource { get; init; }

    /// <summary>The persistent part, or null for -Scope Runtime.</summary>
    public PersistentArgumentChange? Persistent { get; init; }

    /// <summary>True when anything was changed (false on a second identical run, and with -WhatIf).</summary>
    public required bool Changed { get; init; }

    /// <summary>False when the change was only shown (-WhatIf, or -Confirm answered no).</summary>
    public required bool Applied { get; init; }

    /// <summary>True when the timing arguments of the running kernel differ from those the next boot gets.</summary>
    public required bool RebootRequired { get; init; }

    public override string ToString() => $"{ComputerName}: {CurrentClocksource}";
}
