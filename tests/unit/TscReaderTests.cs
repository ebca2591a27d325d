using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class TscReaderTests
{
    private static GatherResult Gathered(string cpuinfo, string? kernelLog, string current = "tsc", string available = "tsc kvm-clock", string cmdline = "ro quiet") => new(
    [
        new GatherValue("current", current, 0),
        new GatherValue("available", available, 0),
        new GatherValue("cmdline", cmdline, 0),
        new GatherValue("cpuinfo", SampleFiles.Read(cpuinfo), 0),
        new GatherValue("kernellog", kernelLog ?? string.Empty, kernelLog is null ? 3 : 0),
    ]);

    [Fact]
    public void Build_machine_has_an_invariant_trusted_tsc()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/build-machine-amd-epyc-kvm-guest.txt", SampleFiles.Read("kernellog/build-machine-dmesg.txt")), "build");

        Assert.True(report.ConstantTsc);
        Assert.True(report.NonstopTsc);
        Assert.True(report.TscKnownFreq);
        Assert.True(report.TscAdjust);
        Assert.False(report.TscReliable);
        Assert.True(report.IsGuest);
        Assert.True(report.IsInvariant);
        Assert.False(report.MarkedUnstable);
        Assert.True(report.IsTrustworthy);
        Assert.False(report.CStateLimitAdvised);
        Assert.Equal("tsc", report.RecommendedClocksource);
    }

    [Fact]
    public void Watchdog_marking_in_a_6x_log_makes_the_tsc_untrusted()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/build-machine-amd-epyc-kvm-guest.txt", SampleFiles.Read("kernellog/watchdog-6x-kvm-guest.txt"), current: "kvm-clock"), "g");

        Assert.True(report.MarkedUnstable);
        Assert.False(report.IsTrustworthy);
        Assert.Contains("tsc: Marking TSC unstable due to clocksource watchdog", report.UnstableEvidence);
        Assert.Contains(report.UnstableEvidence, l => l.Contains("Marking clocksource 'tsc' as unstable", StringComparison.Ordinal));
        Assert.Equal("kvm-clock", report.RecommendedClocksource);
    }

    [Fact]
    public void Legacy_syslog_lines_are_recognised()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/intel-xeon-host.txt", SampleFiles.Read("kernellog/legacy-2x-3x.txt"), available: "tsc hpet acpi_pm"), "old");

        Assert.Equal(2, report.UnstableEvidence.Count);
        Assert.Equal("hpet", report.RecommendedClocksource);
    }

    [Fact]
    public void Guest_without_invariant_tsc_is_advised_kvm_clock_and_a_cstate_limit()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/qemu64-guest-no-invtsc.txt", string.Empty, current: "kvm-clock", available: "kvm-clock tsc hpet acpi_pm"), "g");

        Assert.False(report.IsInvariant);
        Assert.False(report.MarkedUnstable);
        Assert.False(report.IsTrustworthy);
        Assert.True(report.CStateLimitAdvised);
        Assert.Equal("kvm-clock", report.RecommendedClocksource);
        Assert.Contains("processor.max_cstate=1", report.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invariant_guest_on_kvm_clock_is_advised_tsc_with_the_reason_not_its_current_choice()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/build-machine-amd-epyc-kvm-guest.txt", SampleFiles.Read("kernellog/build-machine-dmesg.txt"), current: "kvm-clock"), "g");

        Assert.Equal("tsc", report.RecommendedClocksource);
        Assert.StartsWith("Current kvm-clock; recommended tsc: constant_tsc and nonstop_tsc present", report.Recommendation, StringComparison.Ordinal);
        Assert.Contains("rating drops to 299", report.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_kernel_log_leaves_the_mark_unknown()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/amd-epyc-host.txt", null), "h");

        Assert.Null(report.MarkedUnstable);
        Assert.True(report.IsTrustworthy);
        Assert.Contains("kernel log unreadable", report.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Boot_parameter_tsc_unstable_counts_as_a_mark()
    {
        var report = TscReader.Parse(Gathered("cpuinfo/amd-epyc-host.txt", string.Empty, cmdline: "ro tsc=unstable"), "h");

        Assert.True(report.MarkedUnstable);
        Assert.Equal(["boot parameter tsc=unstable"], report.UnstableEvidence);
    }
}
