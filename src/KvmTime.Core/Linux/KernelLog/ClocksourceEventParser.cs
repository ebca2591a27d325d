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

    /// <summary>Lines before a source's first candidate line whose stamps are looked at.</summary>
    public const int LeadInLineLimit = 256;

    private readonly Dictionary<BlockType, EventDraft> open = [];
    private readonly BootSplitter boots = new();

    // Events of lines whose stamps fell back wait here until the next stamps say which boot they are in.
    private readonly List<EventDraft> held = [];
    private readonly string computerName;
    private readonly Func<ClocksourceEvent, bool> keep;
    private long sequence;
    private long fallbackSequence;
    private int leadInLines;
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
        boots.Reset();
        leadInLines = 0;
    }

    /// <summary>
    /// True while the source has shown no kernel line: the reader then also pushes the lines
    /// before the first candidate (up to <see cref="LeadInLineLimit"/>), whose stamps tell whether
    /// the log starts inside an older boot.
    /// </summary>
    public bool WantsLeadIn => !boots.SawKernelLine && leadInLines < LeadInLineLimit;

    public void Push(string rawLine, ICollection<ClocksourceEvent> output)
    {
        ArgumentNullException.ThrowIfNull(rawLine);
        ArgumentNullException.ThrowIfNull(output);
        if (!ClocksourceLogFilter.IsCandidate(rawLine))
        {
            if (WantsLeadIn)
            {
                leadInLines++;
                if (KernelLogLine.Parse(rawLine, Clock) is { } leadIn)
                {
                    boots.ObserveLeadIn(leadIn);
                }
            }

            return;
        }

        if (KernelLogLine.Parse(rawLine, Clock) is not { } parsed)
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
        if (boots.EndOfSource())
        {
            MoveHeldToNewBoot(output);
        }

        foreach (var draft in open.Values.OrderBy(d => d.Sequence).ToList())
        {
            Emit(draft, output);
        }

        open.Clear();
    }

    /// <summary>Counts boots (see <see cref="BootSplitter"/>) and closes what a boot change closes.</summary>
    private KernelLogEntry PlaceInBoot(KernelLogEntry entry, ICollection<ClocksourceEvent> output)
    {
        switch (boots.Next(entry))
        {
            case BootStep.NewBoot:
                ReleaseHeld(output);
                Flush(output);
                break;
            case BootStep.FallbackStarted:
                fallbackSequence = sequence + 1;
                break;
            case BootStep.Returned:
                ReleaseHeld(output);
                break;
            case BootStep.RebootConfirmed:
                MoveHeldToNewBoot(output);
                break;
            default:
                break;
        }

        return entry;
    }

    /// <summary>The lines since the fallback were out of order: their events stay in the boot they were in.</summary>
    private void ReleaseHeld(ICollection<ClocksourceEvent> output)
    {
        foreach (var draft in held)
        {
            Emit(draft, output);
        }

        held.Clear();
    }

    /// <summary>
    /// The next boot began at the line that fell back: blocks opened before it close in the old
    /// boot; held events and blocks opened since belong to the new one.
    /// </summary>
    private void MoveHeldToNewBoot(ICollection<ClocksourceEvent> output)
    {
        foreach (var (block, draft) in open.ToList())
        {
            if (draft.Sequence < fallbackSequence)
            {
                open.Remove(block);
                Emit(draft, output);
            }
            else
            {
                draft.Boot = boots.Boot;
            }
        }

        foreach (var draft in held.Where(d => d.Sequence >= fallbackSequence))
        {
            draft.Boot = boots.Boot;
        }

        ReleaseHeld(output);
    }

    private void Add(Fragment fragment, KernelLogEntry entry, string rawLine, ICollection<ClocksourceEvent> output)
    {
        switch (fragment.Role)
        {
            case FragmentRole.Event:
                Emit(new EventDraft(fragment, entry, rawLine, sequence, boots.Boot), output);
                break;
            case FragmentRole.Header:
                if (open.Remove(fragment.Block, out var previous))
                {
                    Emit(previous, output);
                }

                open[fragment.Block] = new EventDraft(fragment, entry, rawLine, sequence, boots.Boot);
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
                    Emit(new EventDraft(fragment, entry, rawLine, sequence, boots.Boot), output);
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
        if (boots.Undecided)
        {
            held.Add(draft);
            return;
        }

        // Only the first boot of a source has the known boot time.
        var e = draft.ToEvent(defaultHost, Source, draft.Boot == 0 ? Clock.BootTimeUtc : null);
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
