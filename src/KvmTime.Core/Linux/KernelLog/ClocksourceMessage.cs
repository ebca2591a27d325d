using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Recognises one kernel message (stamp already removed) as a clocksource fragment, across the
/// generations in timekeeping-facts.md: 2.6 "Switching to", 3.x without a prefix, 4.2+ with
/// "clocksource: ", the watchdog blocks of 4.x/5.x/6.x, the 5.13+ read-back/retry/skip lines,
/// the per-CPU sync check, the TSC and kvm-clock lines, and the 2026 watchdog rewrite.
/// Anything else, garbage included, is null.
/// </summary>
internal static partial class ClocksourceMessage
{
    private const string Name = @"[\w.@+-]+?";
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    private static readonly (Regex Pattern, Func<Match, Fragment> Build)[] Rules =
    [
        (Switched(), m => new Fragment(ClocksourceEventKind.Switched) { Clocksource = Text(m, "cs") }),
        (Registered(), m => new Fragment(ClocksourceEventKind.Registered) { Clocksource = Text(m, "cs") }),
        (OverrideRejected(), m => new Fragment(ClocksourceEventKind.OverrideRejected) { Clocksource = Text(m, "cs"), Reason = Text(m, "r") }),
        (OverrideDeferred(), m => new Fragment(ClocksourceEventKind.OverrideDeferred) { Clocksource = Text(m, "cs"), Reason = "not currently HRT compatible" }),
        (OldDelta(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable) { Clocksource = Text(m, "cs"), DeltaNs = Long(m, "d"), Reason = m.Groups["hint"].Success ? "clocksource watchdog; " + Text(m, "hint") : "clocksource watchdog" }),
        (WatchdogHeader(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Header, BlockType.Watchdog) { Clocksource = Text(m, "cs"), Cpu = Int(m, "cpu"), Reason = "the skew is too large" }),
        (WatchdogLine(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Part, BlockType.Watchdog) { PartKey = "wd", Watchdog = Text(m, "n"), WatchdogIntervalNs = Long(m, "ns") }),
        (ClocksourceLine(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, m.Groups["ns"].Success ? FragmentRole.Part : FragmentRole.FinalPart, BlockType.Watchdog) { PartKey = "cs", Clocksource = Text(m, "n"), ClocksourceIntervalNs = Long(m, "ns") }),
        (SkewLine(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Part, BlockType.Watchdog) { PartKey = "skew", Clocksource = Text(m, "cs"), Watchdog = Text(m, "wd"), SkewNs = Long(m, "skew"), WatchdogIntervalNs = Long(m, "wdns") }),
        (CurrentLine(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.FinalPart, BlockType.Watchdog) { PartKey = "current", CurrentClocksource = Text(m, "cur"), Clocksource = Text(m, "cs") }),
        (NoCurrentLine(), _ => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.FinalPart, BlockType.Watchdog) { PartKey = "current" }),
        (Retried(), m => new Fragment(ClocksourceEventKind.WatchdogRetry) { Watchdog = Text(m, "wd"), Cpu = Int(m, "cpu"), Reason = $"retried {Text(m, "n")} times before success" }),
        (ReadBackOld(), m => new Fragment(ClocksourceEventKind.ReadBackUnstable) { Watchdog = Text(m, "wd"), Cpu = Int(m, "cpu"), DeltaNs = Long(m, "d"), Reason = $"read-back delay, attempt {Text(m, "n")}" }),
        (ReadBackNew(), m => new Fragment(ClocksourceEventKind.ReadBackUnstable) { Watchdog = Text(m, "wd"), Clocksource = Text(m, "cs"), Cpu = Int(m, "cpu"), DeltaNs = Long(m, "d"), Reason = $"excessive read-back delay (limit {Text(m, "lim")}ns, wd-wd {Text(m, "wdd")}ns), attempt {Text(m, "n")}" }),
        (SkipHeader(), m => new Fragment(ClocksourceEventKind.WatchdogSkipped, FragmentRole.Header, BlockType.Skip) { Watchdog = Text(m, "wd"), Cpu = Int(m, "cpu"), Reason = $"wd-wd read-back delay of {Text(m, "d")}ns" }),
        (SkipLine(), m => new Fragment(ClocksourceEventKind.WatchdogSkipped, FragmentRole.FinalPart, BlockType.Skip) { PartKey = "skipped", StandsAlone = true, Clocksource = Text(m, "cs"), DeltaNs = Long(m, "d"), Reason = "clock-skew test skipped" }),
        (LongReadout(), m => new Fragment(ClocksourceEventKind.LongReadout) { ClocksourceIntervalNs = Long(m, "cs"), WatchdogIntervalNs = Long(m, "wd"), Reason = "long readout interval, watchdog check skipped" }),
        (RewriteHeader(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Header, BlockType.Rewrite) { Clocksource = Text(m, "cs"), Reason = Text(m, "r") }),
        (RewriteWatchdog(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Part, BlockType.Rewrite) { PartKey = "wd", Watchdog = Text(m, "n"), WatchdogIntervalNs = Long(m, "ns") }),
        (RewriteClocksource(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.Part, BlockType.Rewrite) { PartKey = "cs", Clocksource = Text(m, "n"), ClocksourceIntervalNs = Long(m, "ns") }),
        (RewriteCycles(), m => new Fragment(ClocksourceEventKind.WatchdogUnstable, FragmentRole.FinalPart, BlockType.Rewrite) { PartKey = "cycles", Cpu = Int(m, "b"), Reason = $"CPU{Text(m, "a")} {Text(m, "ca")} < CPU{Text(m, "b")} {Text(m, "cb")} cycles" }),
        (WatchdogTimeout(), m => new Fragment(ClocksourceEventKind.WatchdogTimeout) { Watchdog = Text(m, "wd"), DeltaNs = Long(m, "ns"), Reason = "watchdog read timed out" }),
        (RemoteTimeout(), m => new Fragment(ClocksourceEventKind.WatchdogTimeout) { Cpu = Int(m, "cpu"), Reason = "remote CPU read timed out" }),
        (SyncHeader(), m => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.Header, BlockType.Sync) { Clocksource = Text(m, "cs"), Cpu = Int(m, "cpu") }),
        (SyncResult(), m => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.Part, BlockType.Sync) { PartKey = Text(m, "dir"), StandsAlone = true, Clocksource = Text(m, "cs"), Cpu = Int(m, "cpu"), Reason = $"CPUs {Text(m, "cpus")} {Text(m, "dir")} CPU {Text(m, "cpu")}" }),
        (SyncDurations(), m => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.FinalPart, BlockType.Sync) { PartKey = "durations", Clocksource = Text(m, "cs"), Cpu = Int(m, "cpu"), Reason = $"check durations {Text(m, "min")}ns - {Text(m, "max")}ns" }),
        (SyncNotEnough(), m => new Fragment(ClocksourceEventKind.SyncCheck) { Clocksource = Text(m, "cs"), Reason = "not enough CPUs to check" }),
        (TscMarked(), m => new Fragment(ClocksourceEventKind.TscUnstable) { Clocksource = "tsc", Reason = Text(m, "r") }),
        (TscFoundUnstable(), _ => new Fragment(ClocksourceEventKind.TscUnstable) { Clocksource = "tsc", Reason = "TSC found unstable after boot (broken BIOS)" }),
        (WarpHeader(), m => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.Header, BlockType.Warp) { Clocksource = "tsc", Cpu = Int(m, "b"), Reason = $"TSC synchronization CPU#{Text(m, "a")} -> CPU#{Text(m, "b")}" }),
        (WarpMeasured(), m => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.FinalPart, BlockType.Warp) { PartKey = "warp", StandsAlone = true, Clocksource = "tsc", WarpCycles = Long(m, "n"), Reason = $"{Text(m, "n")} cycles TSC warp between CPUs" }),
        (WarpRandom(), _ => new Fragment(ClocksourceEventKind.SyncCheck, FragmentRole.FinalPart, BlockType.Warp) { PartKey = "warp", StandsAlone = true, Clocksource = "tsc", Reason = "TSC warped randomly between CPUs" }),
        (SchedClock(), m => new Fragment(ClocksourceEventKind.SchedClock) { Reason = Text(m, "s") }),
        (CalibrationFrequency(), m => new Fragment(ClocksourceEventKind.Calibration) { Clocksource = "tsc", FrequencyMHz = Double(m, "mhz"), Reason = Text(m, "r") }),
        (CalibrationStep(), m => new Fragment(ClocksourceEventKind.Calibration) { Clocksource = "tsc", Reason = Text(m, "r") }),
        (TscAdjust(), m => new Fragment(ClocksourceEventKind.TscAdjust) { Clocksource = "tsc", Cpu = Int(m, "cpu"), Reason = Text(m, "r") }),
        (KvmClock(), m => new Fragment(ClocksourceEventKind.KvmClock) { Clocksource = "kvm-clock", Cpu = Int(m, "cpu"), Reason = Text(m, "r") }),
    ];

    /// <summary>The fragment for a message, or null when it is not a clocksource message.</summary>
    public static Fragment? Recognize(string message)
    {
        var text = Normalize(message);
        if (text.Length == 0)
        {
            return null;
        }

        foreach (var (pattern, build) in Rules)
        {
            var match = pattern.Match(text);
            if (match.Success)
            {
                return build(match);
            }
        }

        return null;
    }

    /// <summary>
    /// Drops the 4.2+ "clocksource: " prefix, the 22-space indent of continuation lines, a bare
    /// "kernel: " left by a pasted syslog line, and the "&gt; " of a quoted mail.
    /// </summary>
    internal static string Normalize(string message)
    {
        var text = message.AsSpan().TrimStart('>').Trim();
        if (text.StartsWith("kernel: ", StringComparison.Ordinal))
        {
            text = text["kernel: ".Length..].TrimStart();
        }

        if (text.StartsWith("clocksource: ", StringComparison.Ordinal))
        {
            text = text["clocksource: ".Length..].TrimStart();
        }

        return text.ToString();
    }

    private static string? Text(Match m, string group) => m.Groups[group].Success ? m.Groups[group].Value : null;

    private static long? Long(Match m, string group) =>
        m.Groups[group].Success && long.TryParse(m.Groups[group].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(Match m, string group) =>
        m.Groups[group].Success && int.TryParse(m.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? Double(Match m, string group) =>
        m.Groups[group].Success && double.TryParse(m.Groups[group].ValueSpan, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;

    [GeneratedRegex($@"^(?:(?:Switching|Switched) to clocksource (?<cs>{Name})|Time: (?<cs>{Name}) clocksource has been installed)\.?$", Options)]
    private static partial Regex Switched();

    [GeneratedRegex($@"^(?:clocksource )?(?<cs>{Name}): mask: 0x[0-9a-f]+ max_cycles: 0x[0-9a-f]+, max_idle_ns: [0-9]+ ns$", Options)]
    private static partial Regex Registered();

    [GeneratedRegex($@"^Override clocksource (?<cs>{Name}) is (?<r>unstable and not HRT compatible|not HRT compatible)(?: - cannot switch while in HRT/NOHZ mode|\. Cannot switch while in HRT/NOHZ mode)?\.?$", Options)]
    private static partial Regex OverrideRejected();

    [GeneratedRegex($@"^Override clocksource (?<cs>{Name}) is not currently HRT compatible - deferring$", Options)]
    private static partial Regex OverrideDeferred();

    // RHEL appends its own hint on the same line: ".  Enable clocksource failover by adding ...".
    [GeneratedRegex($@"^[Cc]locksource (?<cs>{Name}) unstable \(delta = (?<d>-?[0-9]+) ns\)(?:\.? +(?<hint>\S.*?))?\.?$", Options)]
    private static partial Regex OldDelta();

    [GeneratedRegex(@"^timekeeping watchdog(?: on CPU(?<cpu>[0-9]+))?: Marking clocksource '(?<cs>[^']+)' as unstable,? because the skew is too large:?$", Options)]
    private static partial Regex WatchdogHeader();

    [GeneratedRegex(@"^'(?<n>[^']+)' (?:wd_nsec: (?<ns>-?[0-9]+) )?wd_now: [0-9a-f]+ wd_last: [0-9a-f]+ mask: [0-9a-f]+$", Options)]
    private static partial Regex WatchdogLine();

    [GeneratedRegex(@"^'(?<n>[^']+)' (?:cs_nsec: (?<ns>-?[0-9]+) )?cs_now: [0-9a-f]+ cs_last: [0-9a-f]+ mask: [0-9a-f]+$", Options)]
    private static partial Regex ClocksourceLine();

    [GeneratedRegex(@"^(?:Clocksource )?'(?<cs>[^']+)' skewed (?<skew>-?[0-9]+) ns \(-?[0-9]+ ms\) over watchdog '(?<wd>[^']+)' interval of (?<wdns>-?[0-9]+) ns \(-?[0-9]+ ms\)$", Options)]
    private static partial Regex SkewLine();

    [GeneratedRegex(@"^'(?<cur>[^']+)' (?:\(not '(?<cs>[^']+)'\) )?is current clocksource\.$", Options)]
    private static partial Regex CurrentLine();

    [GeneratedRegex(@"^No current clocksource\.$", Options)]
    private static partial Regex NoCurrentLine();

    [GeneratedRegex($@"^timekeeping watchdog on CPU(?<cpu>[0-9]+): (?<wd>{Name}) retried (?<n>[0-9]+) times before success$", Options)]
    private static partial Regex Retried();

    [GeneratedRegex($@"^timekeeping watchdog on CPU(?<cpu>[0-9]+): (?<wd>{Name}) read-back delay of (?<d>-?[0-9]+)ns, attempt (?<n>[0-9]+), marking unstable$", Options)]
    private static partial Regex ReadBackOld();

    [GeneratedRegex($@"^timekeeping watchdog on CPU(?<cpu>[0-9]+): wd-(?<wd>{Name})-wd excessive read-back delay of (?<d>-?[0-9]+)ns vs\. limit of (?<lim>-?[0-9]+)ns, wd-wd read-back delay only (?<wdd>-?[0-9]+)ns, attempt (?<n>[0-9]+), marking (?<cs>{Name}) unstable$", Options)]
    private static partial Regex ReadBackNew();

    [GeneratedRegex($@"^timekeeping watchdog on CPU(?<cpu>[0-9]+): (?<wd>{Name}) wd-wd read-back delay of (?<d>-?[0-9]+)ns$", Options)]
    private static partial Regex SkipHeader();

    [GeneratedRegex($@"^wd-(?<cs>{Name})-wd read-back delay of (?<d>-?[0-9]+)ns, clock-skew test skipped!$", Options)]
    private static partial Regex SkipLine();

    [GeneratedRegex(@"^Long readout interval, skipping watchdog check: cs_nsec: (?<cs>-?[0-9]+) wd_nsec: (?<wd>-?[0-9]+)$", Options)]
    private static partial Regex LongReadout();

    [GeneratedRegex($@"^Marking clocksource (?<cs>{Name}) unstable due to (?<r>frequency skew|inter CPU skew)$", Options)]
    private static partial Regex RewriteHeader();

    [GeneratedRegex($@"^Watchdog +(?<n>{Name}) interval: +(?<ns>[0-9]+)ns$", Options)]
    private static partial Regex RewriteWatchdog();

    [GeneratedRegex($@"^Clocksource +(?<n>{Name}) interval: +(?<ns>[0-9]+)ns$", Options)]
    private static partial Regex RewriteClocksource();

    [GeneratedRegex(@"^CPU(?<a>[0-9]+) +(?<ca>[0-9]+) < CPU(?<b>[0-9]+) +(?<cb>[0-9]+) \(cycles\)$", Options)]
    private static partial Regex RewriteCycles();

    [GeneratedRegex($@"^Watchdog (?<wd>{Name}) read timed out\. Readout sequence took: (?<ns>[0-9]+)ns$", Options)]
    private static partial Regex WatchdogTimeout();

    [GeneratedRegex(@"^Watchdog remote CPU (?<cpu>[0-9]+) read timed out$", Options)]
    private static partial Regex RemoteTimeout();

    [GeneratedRegex($@"^Checking clocksource (?<cs>{Name}) synchronization from CPU (?<cpu>[0-9]+)(?: to CPUs [0-9,-]+)?\.$", Options)]
    private static partial Regex SyncHeader();

    [GeneratedRegex($@"^CPUs (?<cpus>[0-9,-]+) (?<dir>ahead of|behind) CPU (?<cpu>[0-9]+) for clocksource (?<cs>{Name})\.$", Options)]
    private static partial Regex SyncResult();

    [GeneratedRegex($@"^CPU (?<cpu>[0-9]+) check durations (?<min>-?[0-9]+)ns - (?<max>-?[0-9]+)ns for clocksource (?<cs>{Name})\.$", Options)]
    private static partial Regex SyncDurations();

    [GeneratedRegex(@"^Not enough CPUs to check clocksource '(?<cs>[^']+)'\.$", Options)]
    private static partial Regex SyncNotEnough();

    [GeneratedRegex(@"^(?:tsc: )?Marking TSC unstable due to:? (?<r>\S.*?)\.?$", Options)]
    private static partial Regex TscMarked();

    [GeneratedRegex(@"^TSC found unstable after boot, most likely due to broken BIOS\.", Options)]
    private static partial Regex TscFoundUnstable();

    [GeneratedRegex(@"^TSC synchronization \[CPU#(?<a>[0-9]+) -> CPU#(?<b>[0-9]+)\]:$", Options)]
    private static partial Regex WarpHeader();

    [GeneratedRegex(@"^Measured (?<n>-?[0-9]+) cycles TSC warp between CPUs, turning off TSC clock\.$", Options)]
    private static partial Regex WarpMeasured();

    [GeneratedRegex(@"^TSC warped randomly between CPUs$", Options)]
    private static partial Regex WarpRandom();

    [GeneratedRegex(@"^sched_clock: Marking (?<s>stable|unstable) \(-?[0-9]+, -?[0-9]+\)(?:<-|->)\(-?[0-9]+, -?[0-9]+\)$", Options)]
    private static partial Regex SchedClock();

    [GeneratedRegex(@"^(?:tsc: |TSC: )?(?<r>Detected (?<mhz>[0-9]+\.[0-9]{3}) MHz (?:processor|TSC)|Refined TSC clocksource calibration: (?<mhz>[0-9]+\.[0-9]{3}) MHz|TSC freq recalibrated by \[(?:HPET|PM_TIMER)\]:\s*(?<mhz>[0-9]+\.[0-9]{3}) MHz)\.?$", Options)]
    private static partial Regex CalibrationFrequency();

    [GeneratedRegex(@"^(?:tsc: |TSC: )?(?<r>Fast TSC calibration (?:failed|using PIT)|PIT calibration matches (?:HPET|PMTIMER)\. [0-9]+ loops|Unable to calibrate against PIT|No reference \(HPET/PMTIMER\) available|HPET/PMTIMER calibration failed|[Uu]sing (?:HPET|PMTIMER) reference calibration|Using PIT calibration value|PIT calibration deviates from (?:HPET|PMTIMER): [0-9]+ [0-9]+|Warning: TSC freq calibrated by CPUID/MSR differs from what is calibrated by HW timer, please check with vendor!!)$", Options)]
    private static partial Regex CalibrationStep();

    [GeneratedRegex(@"^(?<r>(?:\[Firmware Bug\]: )?TSC ADJUST(?: differs| synchronize| compensate)?:(?: Reference)? CPU ?(?<cpu>[0-9]+)\b.*|\[Firmware Bug\]: TSC ADJUST differs within socket\(s\), fixing all errors)$", Options)]
    private static partial Regex TscAdjust();

    [GeneratedRegex(@"^kvm-?clock: (?<r>(?:cpu (?<cpu>[0-9]+), msr .+|Using msrs [0-9a-f]+ and [0-9a-f]+|using sched offset of [0-9]+ cycles|set_memory_decrypted\(\) failed\. Disabling))$", Options)]
    private static partial Regex KvmClock();
}
