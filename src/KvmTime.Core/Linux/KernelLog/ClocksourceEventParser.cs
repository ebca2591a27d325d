using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// The streaming parser: push kernel log lines one at a time, get events as they complete. Its state
/// is at most one open block per block type, so memory does not grow with the log. Multi-line
/// blocks merge even when unrelated lines come between their lines; a block closes when its last
/// line arrives, when another block of its type starts, or when it is more than
/// <see cref="BlockWindow"/> of log time (or <see cref="BlockLineWindow"/> clocksource lines) old.
/// Garbage never throws: it is simply not an event.
/// </summary>
internal sealed class ClocksourceEventParser
{
    /// <summary>The kernel prints a block's lines within microseconds; a second is generous.</summary>
    public static readonly TimeSpan BlockWindow = TimeSpan.FromSeconds(1);

    public const int BlockLineWindow = 64;

    /// <summary>
    /// A boot-relative stamp this much below the one before starts a new boot. CPUs bringing
    /// each other up print stamps a fraction of a second out of order; a reboot falls back to zero.
    /// </summary>
    public static readonly TimeSpan RebootFallback = TimeSpan.FromSeconds(1);

    private readonly Dictionary<BlockType, EventDraft> open = [];
    private readonly string computerName;
    private readonly Func<ClocksourceEvent, bool> keep;
    private long sequence;
    private int boot;
    private TimeSpan? lastSinceBoot;
    private string defaultHost;

    public ClocksourceEventParser(string computerName, KernelLogClock clock, string source, Func<ClocksourceEvent, bool>? keep = null)
    {
        this.computerName = computerName;
        defaultHost = computerName;
        Clock = clock;
        Source = source;
        this.keep = keep ?? (_ => true);
    }

    public KernelLogClock Clock { get; private set; }

    public string Source { get; private set; }

    /// <summary>
    /// Starts the next file or source: blocks never span two of them, and boots count from 0.
    /// <paramref name="host"/> is who the events belong to when a line names no host (a file's
    /// name); null means the machine the parser reads.
    /// </summary>
    public void StartSource(string source, KernelLogClock clock, ICollection<ClocksourceEvent> output, string? host = null)
    {
        Flush(output);
        Source = source;
        Clock = clock;
        defaultHost = host ?? computerName;
        boot = 0;
        lastSinceBoot = null;
    }

    public void Push(string rawLine, ICollection<ClocksourceEvent> output)
    {
        ArgumentNullException.ThrowIfNull(rawLine);
        ArgumentNullException.ThrowIfNull(output);
        if (!ClocksourceLogFilter.IsCandidate(rawLine) || KernelLogLine.Parse(rawLine, Clock) is not { } parsed)
        {
            return;
        }

        foreach (var part in SplitRunOn(PlaceInBoot(parsed, output)))
        {
            if (ClocksourceMessage.Recognize(part.Message) is { } fragment)
            {
                sequence++;
                CloseStale(part, output);
                Add(fragment, part, rawLine, output);
            }
        }
    }

    /// <summary>Closes every open block: call at the end of the log.</summary>
    public void Flush(ICollection<ClocksourceEvent> output)
    {
        foreach (var draft in open.Values.OrderBy(d => d.Sequence).ToList())
        {
            Emit(draft, output);
        }

        open.Clear();
    }

    /// <summary>
    /// Counts boots (a stamp falling back starts the next one) and gives a boot-relative stamp its
    /// wall-clock time when the boot time is known: that of the first boot of the source only.
    /// </summary>
    private KernelLogEntry PlaceInBoot(KernelLogEntry entry, ICollection<ClocksourceEvent> output)
    {
        if (entry.SinceBoot is not { } since)
        {
            return entry;
        }

        if (lastSinceBoot is { } last && since < last - RebootFallback)
        {
            Flush(output);
            boot++;
        }

        lastSinceBoot = since;
        return entry.TimeUtc is null && boot == 0 && Clock.BootTimeUtc is { } bootTime ? entry with { TimeUtc = bootTime + since } : entry;
    }

    private void Add(Fragment fragment, KernelLogEntry entry, string rawLine, ICollection<ClocksourceEvent> output)
    {
        switch (fragment.Role)
        {
            case FragmentRole.Event:
                Emit(new EventDraft(fragment, entry, rawLine, sequence, boot), output);
                break;
            case FragmentRole.Header:
                if (open.Remove(fragment.Block, out var previous))
                {
                    Emit(previous, output);
                }

                open[fragment.Block] = new EventDraft(fragment, entry, rawLine, sequence, boot);
                break;
            default:
                if (open.TryGetValue(fragment.Block, out var draft) && draft.TryMerge(fragment, rawLine))
                {
                    if (fragment.Role == FragmentRole.FinalPart)
                    {
                        open.Remove(fragment.Block);
                        Emit(draft, output);
                    }
                }
                else if (fragment.StandsAlone)
                {
                    Emit(new EventDraft(fragment, entry, rawLine, sequence, boot), output);
                }

                break;
        }
    }

    private void CloseStale(KernelLogEntry now, ICollection<ClocksourceEvent> output)
    {
        if (open.Count == 0)
        {
            return;
        }

        foreach (var (block, draft) in open.ToList())
        {
            var tooOld = sequence - draft.Sequence > BlockLineWindow ||
                (now.TimeUtc is { } t && draft.Entry.TimeUtc is { } start && (t - start).Duration() > BlockWindow) ||
                (now.SinceBoot is { } b && draft.Entry.SinceBoot is { } bootStart && (b - bootStart).Duration() > BlockWindow);
            if (tooOld)
            {
                open.Remove(block);
                Emit(draft, output);
            }
        }
    }

    private void Emit(EventDraft draft, ICollection<ClocksourceEvent> output)
    {
        var e = draft.ToEvent(defaultHost, Source);
        if (keep(e))
        {
            output.Add(e);
        }
    }

    /// <summary>
    /// kvm-clock (and early tsc) formats lack a trailing newline, so dmesg can run the next
    /// message onto the same line: "... 4b564d00kvm-clock: cpu 0, msr ...", sometimes with the
    /// next message's own "[    0.000004] " stamp. Splits such lines into their messages, in one
    /// pass over the line however many messages it holds.
    /// </summary>
    internal static IEnumerable<KernelLogEntry> SplitRunOn(KernelLogEntry entry)
    {
        var message = entry.Message;
        var cuts = new RunOnCuts(message);
        var current = entry;
        var start = 0;
        for (var cut = cuts.After(start); cut >= 0; cut = cuts.After(start))
        {
            yield return current with { Message = message[start..cut] };
            var (sinceBoot, stamp) = KernelLogLine.BootStampAt(message, cut);
            current = sinceBoot is { } s && current.SinceBoot is { } first && current.TimeUtc is { } t
                ? current with { SinceBoot = s, TimeUtc = t + (s - first) }
                : current with { SinceBoot = sinceBoot ?? current.SinceBoot };
            start = cut + stamp;
        }

        yield return start == 0 ? entry : current with { Message = message[start..] };
    }
}
