using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>Where one boot of a saved log ends: markers, stamps that fall back, and stamps out of order.</summary>
public sealed class KernelLogBootSplitTests
{
    [Fact]
    public void A_boot_time_dates_only_the_first_boot_when_the_older_boot_printed_no_clocksource_line()
    {
        // Real: the older boot's last line names no clocksource; the events are the next boot's.
        var events = KernelLogSamples.ParseSample("real/syzkaller-317-seabios-console-kvm-clock-boot.txt");

        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(1, e.Boot));
        Assert.All(events, e => Assert.Null(e.TimeCreated));
    }

    [Fact]
    public void A_secondary_cpu_stamp_out_of_order_keeps_its_boot_and_its_time()
    {
        var events = KernelLogSamples.ParseSample("real/syzkaller-317-secondary-cpu-stamp-out-of-order.txt");

        var secondary = KernelLogSamples.Single(events, ClocksourceEventKind.KvmClock);
        Assert.All(events, e => Assert.Equal(0, e.Boot));
        Assert.Equal(KernelLogSamples.Boot + TimeSpan.FromSeconds(0.025314), secondary.TimeCreated);
    }

    [Fact]
    public void Stamps_that_go_on_from_a_fallback_are_a_reboot_even_without_a_marker()
    {
        var events = KernelLogSamples.Parse(
        [
            "[  812.000001] clocksource: Switched to clocksource hpet",
            "[    0.000000] tsc: Fast TSC calibration using PIT",
            "[    0.000000] tsc: Detected 2100.055 MHz processor",
            "[    1.512000] clocksource: Switched to clocksource tsc",
        ]);

        Assert.Equal([0, 1, 1, 1], events.Select(e => e.Boot));
        Assert.Null(events[3].TimeCreated);
    }

    [Fact]
    public void Lines_printed_at_zero_before_linux_version_are_the_same_boot()
    {
        // 2.6 and 3.x kernels print "Initializing cgroup subsys" before the version line (a real
        // dmesg of 3.7 shows it: https://github.com/util-linux/util-linux/issues/25).
        var events = KernelLogSamples.Parse(
        [
            "[    0.000000] Initializing cgroup subsys cpuset",
            "[    0.000000] Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org)",
            "[    0.000000] tsc: Fast TSC calibration using PIT",
        ]);

        Assert.Equal(0, Assert.Single(events).Boot);
    }

    [Fact]
    public void Linux_version_after_clocksource_lines_starts_the_next_boot_in_a_log_without_boot_stamps()
    {
        var events = KernelLogSamples.Parse(
        [
            "[Mon Jan  6 08:00:01 2025] clocksource: Switched to clocksource tsc",
            "[Tue Jan  7 09:00:00 2025] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)",
            "[Tue Jan  7 09:00:00 2025] clocksource: Switched to clocksource kvm-clock",
        ]);

        Assert.Equal([0, 1], events.Select(e => e.Boot));
    }
}
