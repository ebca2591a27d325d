using KvmTime.Model;
using Xunit;
using static KvmTime.Tests.KernelLog.KernelLogSamples;

namespace KvmTime.Tests.KernelLog;

/// <summary>Each kernel generation's exact formats, from samples written from timekeeping-facts.md section 1.</summary>
public class ClocksourceGenerationTests
{
    [Fact]
    public void Kernel_2_6_syslog_switching_delta_and_unprefixed_tsc_lines()
    {
        var events = ParseSample("gen-2.6-messages.txt");

        Assert.Equal(
            [ClocksourceEventKind.Calibration, ClocksourceEventKind.Switched, ClocksourceEventKind.TscUnstable, ClocksourceEventKind.WatchdogUnstable, ClocksourceEventKind.Switched],
            events.Select(e => e.Kind));
        Assert.Equal(2400.138, events[0].FrequencyMHz);
        Assert.Equal("tsc", events[1].Clocksource);
        Assert.Equal("cpufreq changes", events[2].Reason);
        Assert.Equal(-1207152873, events[3].DeltaNs);
        Assert.Equal("tsc", events[3].Clocksource);
        Assert.Equal("hpet", events[4].Clocksource);
        // The ntpd line says "Switching to clocksource" too, but it is not the kernel's.
        Assert.DoesNotContain(events, e => e.Message.Contains("user program", StringComparison.Ordinal));
    }

    [Fact]
    public void Kernel_3_x_prefixless_switch_override_and_kvm_clock_run_on_line()
    {
        var events = ParseSample("gen-3.x-dmesg.txt");

        var kvm = events.Where(e => e.Kind == ClocksourceEventKind.KvmClock).ToList();
        Assert.Equal(["Using msrs 4b564d01 and 4b564d00", "cpu 0, msr 0:1ffe4001, primary cpu clock", "using sched offset of 7411937618 cycles", "cpu 1, msr 0:1ffe4041, secondary cpu clock"], kvm.Select(e => e.Reason));
        Assert.Equal([null, 0, null, 1], kvm.Select(e => e.Cpu));
        var switched = Single(events, ClocksourceEventKind.Switched);
        Assert.Equal("kvm-clock", switched.Clocksource);
        Assert.Equal(TimeSpan.FromSeconds(0.561302), switched.SinceBoot);
        Assert.Equal(Boot + TimeSpan.FromSeconds(0.561302), switched.TimeCreated);
        var rejected = Single(events, ClocksourceEventKind.OverrideRejected);
        Assert.Equal(("tsc", "not HRT compatible"), (rejected.Clocksource, rejected.Reason));
        Assert.Equal([2095.078, 2095.043], events.Where(e => e.FrequencyMHz is not null).Select(e => e.FrequencyMHz!.Value));
        Assert.Contains(events, e => e.Kind == ClocksourceEventKind.Calibration && e.Reason == "Fast TSC calibration using PIT");
    }

    [Fact]
    public void Kernel_4_4_watchdog_block_merges_into_one_event_with_its_watchdog()
    {
        var events = ParseSample("watchdog-4.4-kern.log");

        Assert.Equal([ClocksourceEventKind.WatchdogUnstable, ClocksourceEventKind.TscUnstable, ClocksourceEventKind.Switched], events.Select(e => e.Kind));
        var block = events[0];
        Assert.Equal(("tsc", "hpet"), (block.Clocksource, block.Watchdog));
        Assert.Null(block.Cpu);
        Assert.Null(block.SkewNs);
        Assert.Equal(3, block.Lines.Count);
        Assert.Equal(TimeSpan.FromSeconds(1837164.342311), block.SinceBoot);
        // The syslog stamp wins over the boot-relative one: the boot time of that machine is unknown here.
        // June 14 is after the reference (June 1, 2026), so the year-less stamp belongs to 2025.
        Assert.Equal(new DateTime(2025, 6, 14, 2, 11, 40, DateTimeKind.Utc), block.TimeCreated);
        Assert.Equal("clocksource watchdog", events[1].Reason);
    }

    [Fact]
    public void Kernel_5_15_block_with_nsec_and_current_line_merges_under_interleaving()
    {
        var events = ParseSample("watchdog-5.15-journal.txt");

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Equal(("tsc", "hpet", "tsc", 3), (block.Clocksource, block.Watchdog, block.CurrentClocksource, block.Cpu));
        Assert.Equal((505524941L, 506044329L), (block.WatchdogIntervalNs!.Value, block.ClocksourceIntervalNs!.Value));
        Assert.Equal(506044329 - 505524941, block.SkewNs);
        Assert.Equal(4, block.Lines.Count);
        Assert.Equal(new DateTime(2023, 2, 7, 3, 12, 44, DateTimeKind.Utc).AddTicks(1183020), block.TimeCreated);

        var sync = Single(events, ClocksourceEventKind.SyncCheck);
        Assert.Equal(("tsc", 2), (sync.Clocksource, sync.Cpu));
        Assert.Equal("CPUs 1 ahead of CPU 2; check durations 1382ns - 2911ns", sync.Reason);
        Assert.Equal(3, sync.Lines.Count);

        Assert.Equal(["clocksource watchdog", "TSC found unstable after boot (broken BIOS)"], events.Where(e => e.Kind == ClocksourceEventKind.TscUnstable).Select(e => e.Reason));
        Assert.Equal("unstable", Single(events, ClocksourceEventKind.SchedClock).Reason);
        Assert.Equal("hpet", Single(events, ClocksourceEventKind.Switched).Clocksource);
    }

    [Fact]
    public void Kernel_6_x_block_takes_the_printed_skew_even_when_the_ms_wrapped()
    {
        var events = ParseSample("watchdog-6.6-negative-skew.txt");

        var block = Assert.Single(events);
        Assert.Equal(ClocksourceEventKind.WatchdogUnstable, block.Kind);
        Assert.Equal(-200000250, block.SkewNs);
        Assert.Equal(("tsc", "hpet", "hpet", 0), (block.Clocksource, block.Watchdog, block.CurrentClocksource, block.Cpu));
        Assert.Equal(5, block.Lines.Count);
        Assert.StartsWith("<4>[ 4410.000100]", block.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Kvm_guest_sample_with_wdtest_style_block()
    {
        var events = ParseSample("watchdog-6x-kvm-guest.txt");

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Equal((200000250L, 479996388L, 679996638L), (block.SkewNs!.Value, block.WatchdogIntervalNs!.Value, block.ClocksourceIntervalNs!.Value));
        Assert.Equal(1, block.Cpu);
        Assert.Equal(["kvm-clock", "kvm-clock"], events.Where(e => e.Kind == ClocksourceEventKind.Switched).Select(e => e.Clocksource));
    }

    [Fact]
    public void Read_back_retry_skip_long_readout_and_override_lines_of_5_13_to_6_x()
    {
        var events = ParseSample("readback-5.13-6.x-dmesg.txt");

        var retry = Single(events, ClocksourceEventKind.WatchdogRetry);
        Assert.Equal(("hpet", 1, "retried 2 times before success"), (retry.Watchdog, retry.Cpu, retry.Reason));
        var skip = Single(events, ClocksourceEventKind.WatchdogSkipped);
        Assert.Equal(("tsc", "hpet", 0, 253064L), (skip.Clocksource, skip.Watchdog, skip.Cpu, skip.DeltaNs!.Value));
        Assert.Equal(2, skip.Lines.Count);
        var readBack = events.Where(e => e.Kind == ClocksourceEventKind.ReadBackUnstable).ToList();
        Assert.Equal([1000412L, 1255712L], readBack.Select(e => e.DeltaNs!.Value));
        Assert.Equal([null, "tsc"], readBack.Select(e => e.Clocksource));
        Assert.Equal([1, 2], readBack.Select(e => e.Cpu!.Value));
        var longReadout = Single(events, ClocksourceEventKind.LongReadout);
        Assert.Equal((1000123456L, 1000098765L), (longReadout.ClocksourceIntervalNs!.Value, longReadout.WatchdogIntervalNs!.Value));
        Assert.Equal("not enough CPUs to check", Single(events, ClocksourceEventKind.SyncCheck).Reason);
        Assert.Equal("unstable and not HRT compatible", Single(events, ClocksourceEventKind.OverrideRejected).Reason);
        Assert.Equal("hpet", Single(events, ClocksourceEventKind.OverrideDeferred).Clocksource);
    }

    [Fact]
    public void Watchdog_rewrite_of_2026_frequency_and_inter_cpu_skew_and_timeouts()
    {
        var events = ParseSample("rewrite-2026-dmesg.txt");

        var unstable = events.Where(e => e.Kind == ClocksourceEventKind.WatchdogUnstable).ToList();
        Assert.Equal(2, unstable.Count);
        Assert.Equal(("tsc", "hpet", "frequency skew"), (unstable[0].Clocksource, unstable[0].Watchdog, unstable[0].Reason));
        Assert.Equal((500000311L, 500731992L, 731681L), (unstable[0].WatchdogIntervalNs!.Value, unstable[0].ClocksourceIntervalNs!.Value, unstable[0].SkewNs!.Value));
        Assert.Equal("inter CPU skew; CPU1 912837465512 < CPU0 912837499871 cycles", unstable[1].Reason);
        Assert.Equal(2, unstable[1].Lines.Count);
        var timeouts = events.Where(e => e.Kind == ClocksourceEventKind.WatchdogTimeout).ToList();
        Assert.Equal([("hpet", (int?)null, (long?)150123), (null, 3, null)], timeouts.Select(e => (e.Watchdog, e.Cpu, e.DeltaNs)));
        Assert.Equal("clocksource watchdog", Single(events, ClocksourceEventKind.TscUnstable).Reason);
    }

    [Fact]
    public void Tsc_sync_warp_adjust_calibration_and_run_on_stamp()
    {
        var events = ParseSample("tsc-sync-adjust-dmesg.txt");

        // The warp check is its own kind with the warp in cycles; the line after it is the TSC verdict.
        var warp = events.Single(e => e.WarpCycles is not null);
        Assert.Equal((ClocksourceEventKind.SyncCheck, 1, 1404L, 2), (warp.Kind, warp.Cpu!.Value, warp.WarpCycles!.Value, warp.Lines.Count));
        Assert.Null(warp.DeltaNs);
        Assert.Equal("check_tsc_sync_source failed", Single(events, ClocksourceEventKind.TscUnstable).Reason);
        Assert.Equal([1, 2], events.Where(e => e.Kind == ClocksourceEventKind.TscAdjust).Select(e => e.Cpu!.Value));
        Assert.Equal("PIT calibration matches HPET. 2 loops", Single(events, ClocksourceEventKind.Calibration).Reason);
        Assert.Equal("stable", Single(events, ClocksourceEventKind.SchedClock).Reason);
        // "...cycles[    0.500002] clocksource: kvm-clock: mask: ..." is two messages with their own stamps.
        Assert.Equal("using sched offset of 7411937618 cycles", Single(events, ClocksourceEventKind.KvmClock).Reason);
        var registered = Single(events, ClocksourceEventKind.Registered);
        Assert.Equal(("kvm-clock", TimeSpan.FromTicks(5000020)), (registered.Clocksource, registered.SinceBoot!.Value));
        Assert.Equal(Boot + TimeSpan.FromTicks(5000020), registered.TimeCreated);
    }

    [Fact]
    public void Build_machine_dmesg_has_its_real_boot_events_and_no_false_ones()
    {
        var events = ParseSample("build-machine-dmesg.txt");

        Assert.Equal(["kvm-clock", "tsc"], events.Where(e => e.Kind == ClocksourceEventKind.Switched).Select(e => e.Clocksource));
        Assert.Equal(2445.404, Single(events, ClocksourceEventKind.Calibration).FrequencyMHz);
        Assert.DoesNotContain(events, e => e.IsUnstable);
        // "[Firmware Bug]: TSC doesn't count with P0 frequency!" and "TSC deadline timer available" are not clocksource events.
        Assert.DoesNotContain(events, e => e.Message.Contains("P0 frequency", StringComparison.Ordinal) || e.Message.Contains("deadline", StringComparison.Ordinal));
    }
}
