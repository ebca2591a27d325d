namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Finds where one boot of a log ends and the next begins. A boot's first line, "Linux version ...",
/// starts the next boot when a clocksource line came before it or its stamp is below an earlier one. A boot-relative stamp that falls
/// back by more than <see cref="RebootFallback"/> is a reboot only when the stamps go on from there:
/// a secondary CPU brought up during a slow boot prints a stamp of its own clock seconds below the
/// others, and the next line is back on the old timeline.
/// </summary>
internal sealed class BootSplitter
{
    /// <summary>CPUs bringing each other up print stamps a fraction of a second out of order.</summary>
    public static readonly TimeSpan RebootFallback = TimeSpan.FromSeconds(1);

    /// <summary>After this many candidate lines below the old timeline, the fallback is a reboot.</summary>
    public const int FallbackLineLimit = 64;

    private const string Marker = "Linux version ";

    private TimeSpan? last;
    private TimeSpan fallbackFrom;
    private TimeSpan fallbackAt;
    private int fallbackLines;
    private bool sawCandidate;

    public int Boot { get; private set; }

    /// <summary>True while a fallback waits for the stamps that decide it.</summary>
    public bool Undecided { get; private set; }

    /// <summary>True once a kernel line of the source has been seen.</summary>
    public bool SawKernelLine { get; private set; }

    public static bool IsMarker(string message) => message.StartsWith(Marker, StringComparison.Ordinal);

    public void Reset()
    {
        last = null;
        Boot = 0;
        Undecided = false;
        SawKernelLine = false;
        sawCandidate = false;
    }

    /// <summary>
    /// A line before the source's first candidate line: only its stamp counts, so that a reboot is
    /// seen even when the older boot printed no clocksource line.
    /// </summary>
    public void ObserveLeadIn(KernelLogEntry entry)
    {
        if (entry.SinceBoot is not null || entry.TimeUtc is not null)
        {
            SawKernelLine = true;
            last = entry.SinceBoot ?? last;
        }
    }

    public BootStep Next(KernelLogEntry entry)
    {
        var candidateBefore = sawCandidate;
        sawCandidate = true;
        SawKernelLine = true;
        if (IsMarker(entry.Message))
        {
            // Older kernels print a few lines at 0.000000 before this one: only a stamp below them,
            // or a clocksource line before, is an older boot.
            var olderBoot = candidateBefore || (entry.SinceBoot is { } at && last is { } earlier && at < earlier);
            Undecided = false;
            if (!olderBoot)
            {
                last = entry.SinceBoot ?? last;
                return BootStep.Same;
            }

            last = entry.SinceBoot;
            Boot++;
            return BootStep.NewBoot;
        }

        if (entry.SinceBoot is not { } since)
        {
            return BootStep.Same;
        }

        if (Undecided)
        {
            if (since >= fallbackFrom - RebootFallback)
            {
                Undecided = false;
                last = since;
                return BootStep.Returned;
            }

            if (since > fallbackAt + RebootFallback || ++fallbackLines > FallbackLineLimit)
            {
                return ConfirmReboot(since);
            }

            return BootStep.Same;
        }

        if (last is { } before && since < before - RebootFallback)
        {
            Undecided = true;
            fallbackFrom = before;
            fallbackAt = since;
            fallbackLines = 0;
            return BootStep.FallbackStarted;
        }

        last = since;
        return BootStep.Same;
    }

    /// <summary>At the end of a source, a fallback the stamps never came back from was a reboot.</summary>
    public bool EndOfSource()
    {
        if (!Undecided)
        {
            return false;
        }

        ConfirmReboot(fallbackAt);
        return true;
    }

    private BootStep ConfirmReboot(TimeSpan since)
    {
        Undecided = false;
        Boot++;
        last = since;
        return BootStep.RebootConfirmed;
    }
}
