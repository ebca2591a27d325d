using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>An event being built from a block's lines; becomes a <see cref="ClocksourceEvent"/> when the block closes.</summary>
internal sealed class EventDraft
{
    private readonly HashSet<string> parts = new(StringComparer.Ordinal);
    private readonly List<string> reasons = [];
    private readonly List<string> lines = [];

    public EventDraft(Fragment first, KernelLogEntry entry, string rawLine, long sequence, int boot)
    {
        First = first;
        Entry = entry;
        Sequence = sequence;
        Boot = boot;
        Kind = first.Kind;
        Clocksource = first.Clocksource;
        Watchdog = first.Watchdog;
        CurrentClocksource = first.CurrentClocksource;
        SkewNs = first.SkewNs;
        DeltaNs = first.DeltaNs;
        WatchdogIntervalNs = first.WatchdogIntervalNs;
        ClocksourceIntervalNs = first.ClocksourceIntervalNs;
        Cpu = first.Cpu;
        FrequencyMHz = first.FrequencyMHz;
        WarpCycles = first.WarpCycles;
        AddReason(first.Reason);
        if (first.PartKey is not null)
        {
            parts.Add(first.PartKey);
        }

        lines.Add(rawLine);
    }

    public Fragment First { get; }

    public KernelLogEntry Entry { get; }

    /// <summary>The candidate-line number of the first line, to close blocks in logs without stamps.</summary>
    public long Sequence { get; }

    /// <summary>Which boot of its source the block belongs to; set again when a fallback turns out to be a reboot.</summary>
    public int Boot { get; set; }

    public ClocksourceEventKind Kind { get; }

    public string? Clocksource { get; private set; }

    public string? Watchdog { get; private set; }

    public string? CurrentClocksource { get; private set; }

    public long? SkewNs { get; private set; }

    public long? DeltaNs { get; private set; }

    public long? WatchdogIntervalNs { get; private set; }

    public long? ClocksourceIntervalNs { get; private set; }

    public int? Cpu { get; private set; }

    public double? FrequencyMHz { get; }

    public long? WarpCycles { get; private set; }

    /// <summary>
    /// Adds a later line of the block when it fits: a part the block does not have yet, naming the
    /// same clocksource (and for the sync check the same CPU). A line that does not fit belongs to
    /// another block whose first line is missing.
    /// </summary>
    public bool TryMerge(Fragment part, string rawLine)
    {
        if (part.PartKey is null || parts.Contains(part.PartKey) ||
            (part.Clocksource is not null && Clocksource is not null && part.Clocksource != Clocksource) ||
            (part.Block == BlockType.Sync && part.Cpu is not null && Cpu is not null && part.Cpu != Cpu))
        {
            return false;
        }

        parts.Add(part.PartKey);
        Clocksource ??= part.Clocksource;
        Watchdog ??= part.Watchdog;
        CurrentClocksource ??= part.CurrentClocksource;
        SkewNs ??= part.SkewNs;
        DeltaNs ??= part.DeltaNs;
        WatchdogIntervalNs ??= part.WatchdogIntervalNs;
        ClocksourceIntervalNs ??= part.ClocksourceIntervalNs;
        Cpu ??= part.Cpu;
        WarpCycles ??= part.WarpCycles;
        AddReason(part.Reason);
        lines.Add(rawLine);
        return true;
    }

    /// <param name="defaultHost">The host when the line names none: the file's name, or the machine read.</param>
    /// <param name="bootTimeUtc">When the block's boot began, if known: gives a boot-relative stamp its time.</param>
    public ClocksourceEvent ToEvent(string defaultHost, string source, DateTime? bootTimeUtc)
    {
        // The 5.14 block prints both intervals but no skew line before ~6.3: the skew is their difference.
        var skew = SkewNs ?? (Kind == ClocksourceEventKind.WatchdogUnstable && ClocksourceIntervalNs is { } cs && WatchdogIntervalNs is { } wd ? cs - wd : null);
        return new ClocksourceEvent
        {
            ComputerName = Entry.Host ?? defaultHost,
            TimeCreated = Entry.TimeUtc ?? (bootTimeUtc is { } boot && Entry.SinceBoot is { } since ? boot + since : null),
            SinceBoot = Entry.SinceBoot,
            Boot = Boot,
            YearInferred = Entry.YearInferred,
            Order = Sequence,
            Kind = Kind,
            Clocksource = Clocksource,
            Watchdog = Watchdog,
            CurrentClocksource = CurrentClocksource,
            SkewNs = skew,
            DeltaNs = DeltaNs,
            WatchdogIntervalNs = WatchdogIntervalNs,
            ClocksourceIntervalNs = ClocksourceIntervalNs,
            Cpu = Cpu,
            FrequencyMHz = FrequencyMHz,
            WarpCycles = WarpCycles,
            Reason = reasons.Count == 0 ? null : string.Join("; ", reasons),
            Message = Entry.Message.Trim(),
            Lines = lines.ToArray(),
            Source = source,
        };
    }

    private void AddReason(string? reason)
    {
        if (reason is not null)
        {
            reasons.Add(reason);
        }
    }
}
