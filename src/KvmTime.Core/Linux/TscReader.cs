using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>Gathers CPU flags, the kernel log and clocksources, and judges the TSC by the Red Hat guidance.</summary>
internal static class TscReader
{
    public static GatherRequest Request() => ClocksourceReader.Request()
        .FileFirstBlock("cpuinfo", "/proc/cpuinfo")
        .Command("kernellog", TscUnstableScanner.KernelLogCommand);

    public static TscReport Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var clock = ClocksourceReader.Parse(gathered, computerName);
        var cpu = CpuInfo.Parse(gathered.TextOrNull("cpuinfo") ?? string.Empty)
            ?? throw new KvmTimeException(ErrorIds.CpuInfoUnreadable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.CpuInfoUnreadable, computerName))
            { ComputerName = computerName };

        var arguments = KernelCommandLine.Parse(gathered.TextOrNull("cmdline") ?? string.Empty);
        var log = gathered.TextOrNull("kernellog");
        var evidence = TscUnstableScanner.FindInArguments(arguments)
            .Concat(log is null ? [] : TscUnstableScanner.FindInKernelLog(log))
            .ToList();
        bool? markedUnstable = evidence.Count > 0 ? true : log is null ? null : false;

        var invariant = cpu.Has("constant_tsc") && cpu.Has("nonstop_tsc");
        var advice = TscAdvisor.Advise(invariant, markedUnstable, clock, cpu.Has("hypervisor"));
        return new TscReport
        {
            ComputerName = computerName,
            CpuVendor = cpu.Vendor,
            ConstantTsc = cpu.Has("constant_tsc"),
            NonstopTsc = cpu.Has("nonstop_tsc"),
            TscKnownFreq = cpu.Has("tsc_known_freq"),
            TscReliable = cpu.Has("tsc_reliable"),
            TscAdjust = cpu.Has("tsc_adjust"),
            IsGuest = cpu.Has("hypervisor"),
            IsInvariant = invariant,
            MarkedUnstable = markedUnstable,
            UnstableEvidence = evidence,
            CurrentClocksource = clock.Current,
            RecommendedClocksource = advice.Clocksource,
            CStateLimitAdvised = advice.LimitCStates,
            Recommendation = advice.Text,
        };
    }
}
