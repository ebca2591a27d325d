using System.Globalization;
using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Judges each unstable event from the other events of its boot (same source, same boot, same
/// machine). A false positive is a delay the watchdog mistook for skew: a read-back delay, a stall
/// between its paired reads, or a stop it slept through. A real one is a clock error: a steady rate
/// difference, a mark that repeats or grows, or a TSC warp between CPUs.
/// </summary>
internal static class WatchdogVerdicts
{
    /// <summary>The kernel's WATCHDOG_INTERVAL (HZ >> 1).</summary>
    public const long NominalIntervalNs = 500_000_000;

    /// <summary>A skew this large a share of the interval is a stall between reads: no clock is that far off in rate.</summary>
    public const double StallShare = 0.05;

    /// <summary>Sets Verdict and VerdictEvidence on every unstable event; returns the same list.</summary>
    public static IReadOnlyList<ClocksourceEvent> Annotate(IReadOnlyList<ClocksourceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var boot in events.GroupBy(e => (e.Source, e.Boot, e.ComputerName)))
        {
            ClassifyBoot(boot.ToList());
        }

        return events;
    }

    /// <summary>Classifies the unstable events of one boot, in log order.</summary>
    public static void ClassifyBoot(IReadOnlyList<ClocksourceEvent> boot)
    {
        ArgumentNullException.ThrowIfNull(boot);
        var warp = boot.FirstOrDefault(IsWarp);
        var delays = boot.Where(e => e.Kind is ClocksourceEventKind.WatchdogRetry or ClocksourceEventKind.WatchdogSkipped
            or ClocksourceEventKind.LongReadout or ClocksourceEventKind.WatchdogTimeout).ToList();
        var skews = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        ClocksourceEvent? incident = null;
        foreach (var e in boot.Where(e => e.IsUnstable))
        {
            if (incident is not null && e.Kind == ClocksourceEventKind.TscUnstable && Explains(incident, e) && incident.Verdict is { } inherited)
            {
                Set(e, inherited, $"follows the {incident.Kind} mark at {Stamp(incident)}: {incident.VerdictEvidence}");
                continue;
            }

            incident = e;
            var (verdict, evidence) = Judge(e, warp, delays, TscMHz(boot, e));
            if (e.Clocksource is { } name && (e.SkewNs ?? e.DeltaNs) is { } skew && e.Kind != ClocksourceEventKind.ReadBackUnstable)
            {
                if (!skews.TryGetValue(name, out var seen))
                {
                    skews[name] = seen = [];
                }

                seen.Add(Math.Abs(skew));
                if (seen.Count > 1)
                {
                    var grows = seen[^1] > seen[^2];
                    (verdict, evidence) = (ClocksourceVerdict.LikelyReal,
                        $"'{name}' was marked unstable {seen.Count} times in this boot{(grows ? $", its skew growing from {Ms(seen[^2])} to {Ms(seen[^1])}" : string.Empty)}: a clock that keeps failing; {evidence}");
                }
            }

            Set(e, verdict, evidence);
        }
    }

    private static (ClocksourceVerdict, string) Judge(ClocksourceEvent e, ClocksourceEvent? warp, List<ClocksourceEvent> delays, double? tscMHz)
    {
        if (e.Kind == ClocksourceEventKind.ReadBackUnstable)
        {
            return (ClocksourceVerdict.LikelyFalsePositive,
                $"the watchdog could not read its clocks back in time (delay {Ns(e.DeltaNs)}, {e.Reason}): the vCPU was held up between reads; no skew was measured");
        }

        if (IsWarp(e) || warp is not null)
        {
            var w = IsWarp(e) ? e : warp!;
            return (ClocksourceVerdict.LikelyReal, $"TSC warp between CPUs in this boot ({WarpText(w)} at {Stamp(w)}): the CPUs' TSCs disagree");
        }

        if (e.Kind == ClocksourceEventKind.TscUnstable)
        {
            return e.Reason is { } r && (r.Contains("cpufreq", StringComparison.OrdinalIgnoreCase) || r.Contains("idle", StringComparison.OrdinalIgnoreCase))
                ? (ClocksourceVerdict.LikelyReal, $"the kernel marked the TSC unstable for '{r}': its rate follows the CPU frequency or stops in idle (no constant_tsc/nonstop_tsc)")
                : (ClocksourceVerdict.Undetermined, $"marked for '{e.Reason}', but the watchdog block that would explain it is not in this log");
        }

        var (verdict, evidence) = BySkew(e, tscMHz);
        var delayed = delays.Where(d => d.Order < e.Order).ToList();
        if (delayed.Count > 0)
        {
            var note = $"the watchdog's own reads were delayed {delayed.Count} time(s) earlier in this boot (last: {delayed[^1].Kind} at {Stamp(delayed[^1])})";
            return verdict == ClocksourceVerdict.LikelyReal ? (verdict, $"{evidence}; note that {note}") : (ClocksourceVerdict.LikelyFalsePositive, $"{evidence}; {note}");
        }

        return (verdict, evidence);
    }

    private static (ClocksourceVerdict, string) BySkew(ClocksourceEvent e, double? tscMHz)
    {
        if (e.Reason is { } reason && reason.Contains("inter CPU skew", StringComparison.Ordinal))
        {
            return (ClocksourceVerdict.LikelyReal, $"inter-CPU skew ({e.Reason}): the CPUs' clocks disagree with each other");
        }

        var skew = e.SkewNs ?? e.DeltaNs;
        var wd = e.WatchdogIntervalNs;
        var cs = e.ClocksourceIntervalNs;
        var fromCounters = string.Empty;
        if (wd is null && cs is null && skew is null)
        {
            (wd, cs) = WatchdogCounters.Intervals(e, tscMHz);
            skew = wd is { } a && cs is { } b ? b - a : null;
            fromCounters = wd is not null || cs is not null ? " (from the block's raw counters)" : string.Empty;
        }

        // The watchdog timer fires every 500 ms; one that ran far late or early means the machine stopped.
        if (wd is { } w && (w < NominalIntervalNs * 4 / 5 || w > NominalIntervalNs * 6 / 5 || cs is > 2 * NominalIntervalNs))
        {
            var both = cs is { } c ? $"the watchdog's interval was {Ms(w)} and the clocksource's {Ms(c)}" : $"the watchdog's interval was {Ms(w)}";
            return (ClocksourceVerdict.LikelyFalsePositive,
                $"{both}{fromCounters}, not ~500 ms: the machine stopped (pause, migration, suspend or steal) while the watchdog slept{(skew is { } k ? $", and the skew of {Ms(k)} is that stop" : string.Empty)}");
        }

        if (skew is null && cs is { } counted)
        {
            return (ClocksourceVerdict.Undetermined, $"the clocksource counted {Ms(counted)}{fromCounters}, but the watchdog's count is missing or its rate unknown (hpet's varies), so there is no skew to judge");
        }

        if (skew is not { } s)
        {
            return (ClocksourceVerdict.Undetermined, "the kernel printed no skew or intervals, and the raw counters' rates are not known (hpet's varies; the TSC's needs a calibration line in this boot)");
        }

        var interval = wd ?? NominalIntervalNs;
        var share = Math.Abs((double)s) / interval;
        if (wd is null && Math.Abs(s) >= NominalIntervalNs)
        {
            return (ClocksourceVerdict.LikelyFalsePositive, $"a delta of {Ms(s)} is longer than the watchdog's whole 500 ms interval: the machine was stopped (pause, migration or steal), not drifting");
        }

        return share >= StallShare
            ? (ClocksourceVerdict.LikelyFalsePositive, $"a skew of {Ms(s)} is {share.ToString("P0", CultureInfo.InvariantCulture)} of a {Ms(interval)} interval: a stall between the paired reads (a preempted vCPU), no clock's rate is that far off")
            : (ClocksourceVerdict.LikelyReal, $"a skew of {Ms(s)} over {Ms(interval)} is a steady rate difference of {(share * 1e6).ToString("0", CultureInfo.InvariantCulture)} ppm with a normal interval: the clocksource's frequency is off");
    }

    private static bool IsWarp(ClocksourceEvent e) =>
        e.WarpCycles is not null ||
        (e.Kind == ClocksourceEventKind.SyncCheck && e.Reason is { } r && (r.Contains(" ahead of ", StringComparison.Ordinal) || r.Contains(" behind ", StringComparison.Ordinal))) ||
        (e.Kind == ClocksourceEventKind.TscUnstable && e.Reason is { } t && (t.Contains("check_tsc_sync_source", StringComparison.Ordinal) || t.Contains("warp", StringComparison.OrdinalIgnoreCase)));

    private static string WarpText(ClocksourceEvent w) =>
        w.WarpCycles is { } cycles ? $"{cycles.ToString(CultureInfo.InvariantCulture)} cycles" : w.Reason ?? w.Message;

    // "Marking TSC unstable due to clocksource watchdog" and "TSC found unstable after boot" follow the block that decided it.
    private static bool Explains(ClocksourceEvent incident, ClocksourceEvent e) =>
        (e.SinceBoot, incident.SinceBoot) switch
        {
            ({ } b, { } a) => (b - a).Duration() <= UnstableIncidents.Window,
            _ => e.Order - incident.Order <= 3,
        } ||
        (incident.Clocksource?.StartsWith("tsc", StringComparison.Ordinal) == true && e.Reason is { } r &&
            (r.StartsWith("clocksource watchdog", StringComparison.Ordinal) || r.StartsWith("TSC found unstable", StringComparison.Ordinal)));

    /// <summary>The TSC's frequency from the boot's last calibration line before the event.</summary>
    private static double? TscMHz(IReadOnlyList<ClocksourceEvent> boot, ClocksourceEvent e) =>
        boot.LastOrDefault(c => c.Kind == ClocksourceEventKind.Calibration && c.FrequencyMHz is not null && c.Order < e.Order)?.FrequencyMHz;

    private static void Set(ClocksourceEvent e, ClocksourceVerdict verdict, string evidence)
    {
        e.Verdict = verdict;
        e.VerdictEvidence = evidence;
    }

    private static string Stamp(ClocksourceEvent e) =>
        e.SinceBoot is { } s ? s.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture) + " s" :
        e.TimeCreated is { } t ? t.ToString("u", CultureInfo.InvariantCulture) : "line " + e.Order.ToString(CultureInfo.InvariantCulture);

    private static string Ms(long? ns) => ns is { } v ? (v / 1e6).ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "?";

    private static string Ns(long? ns) => ns is { } v ? v.ToString(CultureInfo.InvariantCulture) + " ns" : "unknown";
}
