using System.Globalization;
using KvmTime.Model;

namespace KvmTime.Linux.ClockRead;

/// <summary>
/// Turns a loop's report into figures: the best round of each kind (noise only adds time), minus the
/// best round of the method's overhead probe; the vDSO verdict compares libc with the raw call.
/// </summary>
internal static class ClockReadCostCalculator
{
    /// <summary>libc below this share of the system call's cost: the vDSO serves the clock.</summary>
    public const double VdsoBelow = 0.6;

    /// <summary>libc at or above this share of the system call's cost: the call falls back to the kernel.</summary>
    public const double SystemCallFrom = 0.85;

    public static ClocksourceCost Compute(ClockReadReport report, string computerName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var overhead = Best(report.SamplesOf("overhead")) ?? 0;
        var monotonic = Net(report.SamplesOf("monotonic"), overhead);
        var realtime = Net(report.SamplesOf("realtime"), overhead);
        var syscallMonotonic = Syscall(report, "monotonic", monotonic, overhead);
        var syscallRealtime = Syscall(report, "realtime", realtime, overhead);
        var clocksource = report.Fact("clocksource") ?? string.Empty;
        var iterations = long.TryParse(report.Fact("iterations"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var timer = double.TryParse(report.Fact("timer_resolution_ns"), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : 1;
        return new ClocksourceCost
        {
            ComputerName = computerName,
            Clocksource = clocksource,
            MonotonicNs = Round(monotonic),
            RealtimeNs = Round(realtime),
            SyscallMonotonicNs = syscallMonotonic is { } sm ? Round(sm) : null,
            SyscallRealtimeNs = syscallRealtime is { } sr ? Round(sr) : null,
            MonotonicPath = Verdict(monotonic, syscallMonotonic),
            RealtimePath = Verdict(realtime, syscallRealtime),
            IsVdsoCapable = Clocksources.IsVdsoCapable(clocksource, KernelCommandLine.Parse(report.Fact("cmdline") ?? string.Empty)),
            IsVdsoMapped = report.Fact("vdso_mapped") switch { "1" => true, "0" => false, _ => null },
            PercentOfKvmClock = clocksource == "kvm-clock" ? 100 : null,
            Method = report.Fact("method") ?? "Unknown",
            OverheadProbe = report.Fact("overhead_probe") ?? "none",
            OverheadNs = Round(overhead),
            ResolutionNs = Round(Math.Max(Spread(report.SamplesOf("monotonic")), iterations > 0 ? timer / iterations : timer)),
            Iterations = iterations,
            Repeats = report.SamplesOf("monotonic").Count,
            Architecture = report.Fact("arch") ?? "unknown",
        };
    }

    /// <summary>Fills PercentOfKvmClock for every row whose machine also has a kvm-clock row.</summary>
    public static IReadOnlyList<ClocksourceCost> RelativeToKvmClock(IReadOnlyList<ClocksourceCost> costs)
    {
        ArgumentNullException.ThrowIfNull(costs);
        var baselines = costs.Where(c => c.Clocksource == "kvm-clock" && c.MonotonicNs > 0)
            .GroupBy(c => c.ComputerName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().MonotonicNs, StringComparer.OrdinalIgnoreCase);
        return costs.Select(c => baselines.TryGetValue(c.ComputerName, out var kvm)
            ? c with { PercentOfKvmClock = Round(100 * c.MonotonicNs / kvm) }
            : c).ToList();
    }

    public static ClockReadPath Verdict(double libcNs, double? syscallNs)
    {
        if (syscallNs is not { } syscall || syscall <= 0)
        {
            return ClockReadPath.Unknown;
        }

        var share = libcNs / syscall;
        return share < VdsoBelow ? ClockReadPath.Vdso : share >= SystemCallFrom ? ClockReadPath.SystemCall : ClockReadPath.Unclear;
    }

    // In-process, pwsh and perl time the raw call directly; python's goes through ctypes, whose own
    // cost cancels: raw = libc + (ctypes raw - ctypes libc).
    private static double? Syscall(ClockReadReport report, string clock, double libc, double overhead)
    {
        if (Best(report.SamplesOf("syscall_" + clock)) is { } direct)
        {
            return Math.Max(0, direct - overhead);
        }

        return Best(report.SamplesOf("ctypes_syscall_" + clock)) is { } viaSyscall && Best(report.SamplesOf("ctypes_libc_" + clock)) is { } viaLibc
            ? Math.Max(0, libc + viaSyscall - viaLibc)
            : null;
    }

    private static double Net(IReadOnlyList<double> samples, double overhead) => Math.Max(0, (Best(samples) ?? 0) - overhead);

    private static double? Best(IReadOnlyList<double> samples) => samples.Count == 0 ? null : samples.Min();

    private static double Spread(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.Order().ToArray();
        return sorted[sorted.Length / 2] - sorted[0];
    }

    private static double Round(double value) => Math.Round(value, 2);
}
