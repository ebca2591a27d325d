namespace KvmTime.Model;

/// <summary>One host's clocksource events of one boot counted by kind, with the last unstable event: a fleet triage row.</summary>
public sealed class ClocksourceEventSummary
{
    public required string ComputerName { get; init; }

    /// <summary>Which boot of its log (0 for the first); see <see cref="ClocksourceEvent.Boot"/>.</summary>
    public int Boot { get; init; }

    public required int EventCount { get; init; }

    /// <summary>How many events of each kind, keyed by the kind's name (so ConvertTo-Json takes it); kinds that did not occur are left out.</summary>
    public required IReadOnlyDictionary<string, int> Counts { get; init; }

    /// <summary>How many times a clocksource was marked unstable: a watchdog block and the TSC lines it causes count once.</summary>
    public required int UnstableCount { get; init; }

    /// <summary>The most recent event that marked a clocksource unstable, or null.</summary>
    public ClocksourceEvent? LastUnstable { get; init; }

    /// <summary>The clocksource the last Switched event moved to, or null.</summary>
    public string? LastSwitchedTo { get; init; }

    public DateTime? FirstEventTime { get; init; }

    public DateTime? LastEventTime { get; init; }
}
