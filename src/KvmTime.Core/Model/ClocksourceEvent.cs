namespace KvmTime.Model;

/// <summary>
/// One clocksource event from a kernel log: a single line, or a multi-line watchdog block merged
/// into one object with its numbers.
/// </summary>
public sealed class ClocksourceEvent
{
    /// <summary>The host the log line names (syslog, journal); else, for a file, the file's name; else the machine read.</summary>
    public required string ComputerName { get; init; }

    /// <summary>
    /// When it happened, in UTC: from a wall-clock stamp on the line, or from the boot time of the
    /// machine's current boot or of -BootTime. Null otherwise: a saved log's boot time is not guessed.
    /// </summary>
    public required DateTime? TimeCreated { get; init; }

    /// <summary>The kernel's own boot-relative stamp ([   97.769021]), when the line carried one.</summary>
    public TimeSpan? SinceBoot { get; init; }

    /// <summary>Which boot of its source this is: 0 for the first, counting up each time the boot-relative stamp falls back.</summary>
    public int Boot { get; init; }

    /// <summary>True when the line's stamp lacked a year ("May  1 12:00:00") and TimeCreated's year was inferred.</summary>
    public bool YearInferred { get; init; }

    public required ClocksourceEventKind Kind { get; init; }

    /// <summary>The clocksource the event is about (switched to, marked unstable, checked, calibrated).</summary>
    public string? Clocksource { get; init; }

    /// <summary>The watchdog clocksource that judged it.</summary>
    public string? Watchdog { get; init; }

    /// <summary>The clocksource in use when the watchdog block was printed (5.14+).</summary>
    public string? CurrentClocksource { get; init; }

    /// <summary>How far the clocksource drifted from the watchdog over one interval, in ns.</summary>
    public long? SkewNs { get; init; }

    /// <summary>The old watchdog's delta or a read-back delay, in ns.</summary>
    public long? DeltaNs { get; init; }

    /// <summary>The watchdog's interval as the block printed it (wd_nsec), in ns.</summary>
    public long? WatchdogIntervalNs { get; init; }

    /// <summary>The clocksource's interval as the block printed it (cs_nsec), in ns.</summary>
    public long? ClocksourceIntervalNs { get; init; }

    /// <summary>The CPU the kernel names (the watchdog's CPU, the checking CPU, the TSC_ADJUST CPU).</summary>
    public int? Cpu { get; init; }

    /// <summary>The TSC warp the boot or hotplug sync check measured between two CPUs, in cycles.</summary>
    public long? WarpCycles { get; init; }

    /// <summary>A calibrated or detected frequency, in MHz.</summary>
    public double? FrequencyMHz { get; init; }

    /// <summary>Why, in the kernel's words ("clocksource watchdog", "CPUs 1 ahead of CPU 0", ...).</summary>
    public string? Reason { get; init; }

    /// <summary>The first line's message without its time stamp and host prefix.</summary>
    public required string Message { get; init; }

    /// <summary>Every raw line merged into this event, as the log had it.</summary>
    public required IReadOnlyList<string> Lines { get; init; }

    /// <summary>Where it was read: Journal, Dmesg, or a file path.</summary>
    public required string Source { get; init; }

    /// <summary>Where the event's first line sits among all lines read, to keep file order.</summary>
    internal long Order { get; init; }

    /// <summary>For an unstable event: whether it is likely a false positive or real, judged over its boot (null for other events).</summary>
    public ClocksourceVerdict? Verdict { get; internal set; }

    /// <summary>The evidence for <see cref="Verdict"/>, in words with the numbers it rests on.</summary>
    public string? VerdictEvidence { get; internal set; }

    /// <summary>True for the kinds that mean a clocksource was marked unstable.</summary>
    public bool IsUnstable => Kind is ClocksourceEventKind.WatchdogUnstable or ClocksourceEventKind.TscUnstable or ClocksourceEventKind.ReadBackUnstable;
}
