using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>
/// The watchdog verdicts on the real excerpts of Samples/kernellog/real (tests named _real) and on
/// the hand-written samples of formats no real excerpt shows (_documented_format).
/// </summary>
public class WatchdogVerdictTests
{
    private const ClocksourceVerdict FalsePositive = ClocksourceVerdict.LikelyFalsePositive;
    private const ClocksourceVerdict Real = ClocksourceVerdict.LikelyReal;
    private const ClocksourceVerdict Undetermined = ClocksourceVerdict.Undetermined;

    private static List<ClocksourceEvent> Unstable(string relativePath)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog", relativePath);
        var result = ClocksourceEventReader.ReadLocalFiles([path], new ClocksourceEventQuery(), "reader",
            new KernelLogClock(null, TimeZoneInfo.Utc, DateTime.UtcNow), CancellationToken.None);
        return result.Events.Where(e => e.IsUnstable).ToList();
    }

    private static void AssertVerdicts(string relativePath, ClocksourceVerdict[] expected, string evidence)
    {
        var unstable = Unstable(relativePath);

        Assert.Equal(expected, unstable.Select(e => e.Verdict!.Value).ToArray());
        Assert.All(unstable, e => Assert.False(string.IsNullOrWhiteSpace(e.VerdictEvidence)));
        Assert.Contains(evidence, unstable[0].VerdictEvidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Acpi_pm_watchdog_that_slept_3_s_is_a_stop_real() =>
        // acpi_pm counted 0xf4b7d - 0x6c50c5 (mod 2^24) = 10681016 ticks at 3.579545 MHz: 2.98 s, not 0.5 s.
        AssertVerdicts("real/propolis-328-dmesg.txt", [FalsePositive, FalsePositive, FalsePositive], "the watchdog's interval was 2983.903 ms (from the block's raw counters)");

    [Fact]
    public void Acpi_pm_watchdog_813_ms_late_is_a_stop_real() =>
        AssertVerdicts("real/arpl-244-kern-log.txt", [FalsePositive], "813.04 ms");

    [Fact]
    public void Xen_watchdog_that_slept_7_s_is_a_stop_real() =>
        AssertVerdicts("real/qubes-2044-watchdog-4x.txt", [FalsePositive], "6912.597 ms");

    [Fact]
    public void Hpet_watchdog_with_raw_counters_only_cannot_be_judged_real()
    {
        AssertVerdicts("real/sozu-500-dmesg.txt", [Undetermined, Undetermined, Undetermined], "rates are not known");
        AssertVerdicts("real/corefreq-308-dmesg.txt", [Undetermined, Undetermined, Undetermined], "rates are not known");
    }

    [Fact]
    public void Tsc_early_counted_from_the_boots_calibration_but_no_watchdog_rate_real() =>
        // 0x3b47b76a - 0x16e25bb4 = 610622390 TSC cycles at 2100.055 MHz.
        AssertVerdicts("real/madgraph-116-dmesg.txt", [Undetermined, Undetermined], "the clocksource counted 290.765 ms");

    [Fact]
    public void A_small_steady_skew_over_a_normal_interval_is_a_rate_error_real() =>
        AssertVerdicts("real/lkml-2603-quoted-lowercase-skew.txt", [Real, Real], "1376 ppm");

    [Fact]
    public void A_tsc_warp_between_cpus_is_real_real() =>
        AssertVerdicts("real/propolis-427-tsc-warp.txt", [Real], "TSC warp between CPUs");

    [Fact]
    public void A_125_ms_delta_around_a_xen_migration_is_a_stall_real() =>
        AssertVerdicts("real/wmealing-gist-xen-migration-delta.txt", [FalsePositive], "25 % of a 500 ms interval");

    [Fact]
    public void A_95_s_delta_is_longer_than_the_interval_real() =>
        AssertVerdicts("real/sungju-rhel-delta-failover-hint.txt", [FalsePositive], "longer than the watchdog's whole 500 ms interval");

    [Fact]
    public void A_2_6_delta_of_76_ms_is_a_stall_real() =>
        AssertVerdicts("real/katona-hatena-2.6-boot.txt", [FalsePositive], "15 %");

    [Fact]
    public void Tsc_marks_without_their_watchdog_block_stay_undetermined_real() =>
        AssertVerdicts("real/mellanox-mkt-74-no-stamps.txt", [Undetermined, Undetermined], "not in this log");

    [Fact]
    public void Skipped_checks_are_not_unstable_marks_and_get_no_verdict_real()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog", "real", "lede-9028-openwrt-logread.txt");
        var events = ClocksourceEventReader.ReadLocalFiles([path], new ClocksourceEventQuery(), "reader",
            new KernelLogClock(null, TimeZoneInfo.Utc, DateTime.UtcNow), CancellationToken.None).Events;

        Assert.Equal(3, events.Count(e => e.Kind == ClocksourceEventKind.WatchdogSkipped));
        Assert.All(events, e => Assert.Null(e.Verdict));
    }

    [Fact]
    public void Read_back_delays_are_false_positives_documented_format() =>
        AssertVerdicts("readback-5.13-6.x-dmesg.txt", [FalsePositive, FalsePositive], "could not read its clocks back in time");

    [Fact]
    public void A_200_ms_skew_over_480_ms_in_a_kvm_guest_is_a_stall_documented_format() =>
        AssertVerdicts("watchdog-6x-kvm-guest.txt", [FalsePositive, FalsePositive], "42 % of a 479.996 ms interval");

    [Fact]
    public void The_rewrites_inter_cpu_skew_is_real_documented_format() =>
        Assert.Equal(Real, Unstable("rewrite-2026-dmesg.txt").Last().Verdict);

    [Fact]
    public void Cpufreq_changes_move_a_tsc_without_constant_tsc_documented_format() =>
        Assert.Contains(Unstable("gen-2.6-messages.txt"), e => e.Verdict == Real && e.VerdictEvidence!.Contains("cpufreq", StringComparison.Ordinal));

    [Fact]
    public void A_kind_filter_keeps_the_verdict_the_whole_boot_gave_documented_format()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog", "watchdog-5.15-journal.txt");
        var query = new ClocksourceEventQuery { Kinds = [ClocksourceEventKind.WatchdogUnstable] };
        var events = ClocksourceEventReader.ReadLocalFiles([path], query, "reader", new KernelLogClock(null, TimeZoneInfo.Utc, DateTime.UtcNow), CancellationToken.None).Events;

        var only = Assert.Single(events);
        Assert.Equal(Real, only.Verdict);
        Assert.Contains("ahead of", only.VerdictEvidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mark_that_repeats_with_a_growing_skew_is_real_documented_format()
    {
        static ClocksourceEvent Mark(long order, long skew) => new()
        {
            ComputerName = "g", TimeCreated = null, Kind = ClocksourceEventKind.WatchdogUnstable, Clocksource = "tsc", Watchdog = "hpet",
            SkewNs = skew, WatchdogIntervalNs = 500_000_000, ClocksourceIntervalNs = 500_000_000 + skew,
            Message = "hand-written", Lines = [], Source = "test", Order = order,
        };
        var first = Mark(1, 60_000_000);
        var second = Mark(9, 90_000_000);

        WatchdogVerdicts.ClassifyBoot([first, second]);

        Assert.Equal(FalsePositive, first.Verdict);
        Assert.Equal(Real, second.Verdict);
        Assert.Contains("growing from 60 ms to 90 ms", second.VerdictEvidence, StringComparison.Ordinal);
    }
}
