using System.Diagnostics;
using KvmTime.Linux.ClockRead;
using KvmTime.Model;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.ClockRead;

public class ClockReadCostTests
{
    private static ClocksourceCost Recorded(string name) =>
        ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(SampleFiles.ReadVerbatim($"clockread/{name}.txt"), "build"), "build");

    [Theory]
    [InlineData("build-machine-tsc-inprocess", "tsc", "InProcess")]
    [InlineData("build-machine-tsc-python3", "tsc", "Python3")]
    [InlineData("build-machine-tsc-perl", "tsc", "Perl")]
    [InlineData("build-machine-kvm-clock-inprocess", "kvm-clock", "InProcess")]
    [InlineData("build-machine-kvm-clock-python3", "kvm-clock", "Python3")]
    [InlineData("build-machine-kvm-clock-perl", "kvm-clock", "Perl")]
    public void Build_machine_recorded_loops_find_the_vdso_serving_both_clocks(string sample, string clocksource, string method)
    {
        var cost = Recorded(sample);

        Assert.Equal(clocksource, cost.Clocksource);
        Assert.Equal(method, cost.Method);
        Assert.Equal(ClockReadPath.Vdso, cost.MonotonicPath);
        Assert.Equal(ClockReadPath.Vdso, cost.RealtimePath);
        Assert.True(cost.IsVdsoCapable);
        Assert.True(cost.IsVdsoMapped);
        Assert.Equal(9, cost.Repeats);
        Assert.Equal("x86_64", cost.Architecture);
        Assert.InRange(cost.MonotonicNs, 1, 1000);
        Assert.True(cost.SyscallMonotonicNs > cost.MonotonicNs);
        Assert.Equal(clocksource == "kvm-clock" ? 100 : null, cost.PercentOfKvmClock);
    }

    [Fact]
    public void Build_machine_recorded_python_subtracts_the_best_coarse_round_and_cancels_ctypes()
    {
        var report = ClockReadReportParser.Parse(SampleFiles.ReadVerbatim("clockread/build-machine-tsc-python3.txt"), "build");
        var cost = ClockReadCostCalculator.Compute(report, "build");

        var overhead = report.SamplesOf("overhead").Min();
        var monotonic = report.SamplesOf("monotonic").Min() - overhead;
        Assert.Equal(Math.Round(overhead, 2), cost.OverheadNs);
        Assert.Equal(Math.Round(monotonic, 2), cost.MonotonicNs);
        var syscall = monotonic + report.SamplesOf("ctypes_syscall_monotonic").Min() - report.SamplesOf("ctypes_libc_monotonic").Min();
        Assert.Equal(Math.Round(syscall, 2), cost.SyscallMonotonicNs);
        Assert.Contains("CLOCK_MONOTONIC_COARSE", cost.OverheadProbe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, 250, ClockReadPath.Vdso)]
    [InlineData(240, 250, ClockReadPath.SystemCall)]
    [InlineData(260, 250, ClockReadPath.SystemCall)]
    [InlineData(180, 250, ClockReadPath.Unclear)]
    public void The_vdso_verdict_compares_libc_with_the_raw_call(double libc, double syscall, ClockReadPath expected) =>
        Assert.Equal(expected, ClockReadCostCalculator.Verdict(libc, syscall));

    [Fact]
    public void No_raw_call_timed_means_no_verdict_documented_format()
    {
        var text = "method Perl\narch aarch64\nclocksource arch_sys_counter\ncmdline \nvdso_mapped 1\niterations 1000\n" +
            "sample overhead 30\nsample monotonic 55\nsample realtime 56\nsample overhead 31\nsample monotonic 60\nsample realtime 58\n";
        var cost = ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(text, "arm"), "arm");

        Assert.Equal(ClockReadPath.Unknown, cost.MonotonicPath);
        Assert.Null(cost.SyscallMonotonicNs);
        Assert.Equal(25, cost.MonotonicNs);
        Assert.Equal(5, cost.ResolutionNs);
        Assert.True(cost.IsVdsoCapable);
    }

    [Fact]
    public void Hpet_with_libc_as_slow_as_the_syscall_is_a_system_call_and_not_vdso_capable_documented_format()
    {
        var text = "method InProcess\narch x86_64\nclocksource hpet\ncmdline clocksource=hpet\nvdso_mapped 1\niterations 1000\n" +
            "sample monotonic 2400\nsample realtime 2410\nsample syscall_monotonic 2380\nsample syscall_realtime 2390\n";
        var cost = ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(text, "g"), "g");

        Assert.Equal(ClockReadPath.SystemCall, cost.MonotonicPath);
        Assert.False(cost.IsVdsoCapable);
        Assert.Null(cost.PercentOfKvmClock);
    }

    [Fact]
    public void Percent_of_kvm_clock_is_filled_per_machine_when_both_are_known()
    {
        var tsc = Recorded("build-machine-tsc-inprocess");
        var kvm = Recorded("build-machine-kvm-clock-inprocess");
        var other = tsc with { ComputerName = "elsewhere" };

        var related = ClockReadCostCalculator.RelativeToKvmClock([tsc, kvm, other]);

        Assert.Equal(Math.Round(100 * tsc.MonotonicNs / kvm.MonotonicNs, 2), related[0].PercentOfKvmClock);
        Assert.Equal(100, related[1].PercentOfKvmClock);
        Assert.Null(related[2].PercentOfKvmClock);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Traceback (most recent call last):\n  File \"<stdin>\", line 15\n")]
    [InlineData("method Python3\nsample monotonic 12\n")]
    [InlineData("method Python3\nsample monotonic nan\nsample realtime 3\n")]
    public void Output_without_timings_fails_with_its_own_error_id(string text)
    {
        var e = Assert.Throws<KvmTimeException>(() => ClockReadReportParser.Parse(text, "g"));

        Assert.Equal("ClockReadOutputInvalid", e.ErrorId);
        Assert.Equal(FailureKind.InvalidResult, e.Kind);
    }

    [Fact]
    public void The_in_process_loop_times_this_machine_and_prints_what_the_parser_reads()
    {
        var cost = ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(ClockReadLoop.Run("InProcess", 2), "here"), "here");

        Assert.Equal("InProcess", cost.Method);
        Assert.Equal(File.ReadAllText("/sys/devices/system/clocksource/clocksource0/current_clocksource").Trim(), cost.Clocksource);
        Assert.True(cost.MonotonicNs > 0);
        Assert.Equal(0, cost.OverheadNs);
    }

    [Fact]
    public void The_embedded_source_is_the_in_process_loop()
    {
        var source = ClockReadScripts.LoopSource();

        Assert.Contains("public static class ClockReadLoop", source, StringComparison.Ordinal);
        Assert.Contains("SuppressGCTransition", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClockReadInterpreter.Auto)]
    [InlineData(ClockReadInterpreter.Python3)]
    [InlineData(ClockReadInterpreter.Perl)]
    public void The_wrapper_exits_3_on_a_path_without_python3_or_perl(ClockReadInterpreter interpreter)
    {
        var empty = Directory.CreateTempSubdirectory("kvmtime-nointerp-");
        try
        {
            var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(ClockReadScripts.Shell(interpreter));
            start.Environment["PATH"] = empty.FullName;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();

            Assert.Equal(ClockReadScripts.NoInterpreter, process.ExitCode);
            Assert.Equal(string.Empty, output);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
