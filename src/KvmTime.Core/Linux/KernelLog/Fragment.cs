using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>The kernel messages that the kernel prints as several lines, merged into one event.</summary>
internal enum BlockType
{
    None,

    /// <summary>"Marking clocksource 'x' as unstable because the skew is too large:" and its wd/cs/skew/current lines.</summary>
    Watchdog,

    /// <summary>The 2026 rewrite's "Marking clocksource x unstable due to ..." and its interval or cycles lines.</summary>
    Rewrite,

    /// <summary>"Checking clocksource x synchronization from CPU n" and its ahead/behind/durations lines.</summary>
    Sync,

    /// <summary>"... wd-wd read-back delay of Nns" and "wd-x-wd read-back delay ..., clock-skew test skipped!".</summary>
    Skip,

    /// <summary>"TSC synchronization [CPU#a -> CPU#b]:" and its warp line.</summary>
    Warp,
}

/// <summary>What one recognised message contributes: a whole event, a block's first line, or one of its later lines.</summary>
internal enum FragmentRole
{
    Event,
    Header,
    Part,

    /// <summary>The last line of its block: the block is complete.</summary>
    FinalPart,
}

/// <summary>One recognised kernel message with the numbers and names it carries.</summary>
internal sealed record Fragment(ClocksourceEventKind Kind, FragmentRole Role = FragmentRole.Event, BlockType Block = BlockType.None)
{
    /// <summary>Which line of its block this is ("wd", "cs", "skew", ...); a block takes each part once.</summary>
    public string? PartKey { get; init; }

    /// <summary>A later line that still makes a true event when its block's first line is missing.</summary>
    public bool StandsAlone { get; init; }

    public string? Clocksource { get; init; }

    public string? Watchdog { get; init; }

    public string? CurrentClocksource { get; init; }

    public long? SkewNs { get; init; }

    public long? DeltaNs { get; init; }

    public long? WatchdogIntervalNs { get; init; }

    public long? ClocksourceIntervalNs { get; init; }

    public int? Cpu { get; init; }

    public double? FrequencyMHz { get; init; }

    public long? WarpCycles { get; init; }

    public string? Reason { get; init; }
}
