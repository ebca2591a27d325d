namespace KvmTime.Model;

/// <summary>One host's clocksource events counted by kind, with the last unstable event: a fleet triage row.</summary>
public sealed class ClocksourceEventSummary
{
    public required string ComputerName { get; init; }

    public required int EventCount { get; init; }

    /// <summary>How many events of each kind; kinds that did not occur are left out.</summary>
    public required IReadOnlyDictionary<ClocksourceEventKind, int> Counts { get; init; }

    /// <summary>How many events marked a clocksource unstable.</summary>
    public required int UnstableCount { get; init; }

    /// <summary>The most recent event that marked a clocksource unstable, or null.</summary>
    public ClocksourceEvent? LastUnstable { get; init; }

    /// <summary>The clocksource the last Switched event moved to, or null.</summary>
    public string? LastSwitchedTo { get; init; }

    public DateTime? FirstEventTime { get; init; }

    public DateTime? LastEventTime { get; init; }
}
