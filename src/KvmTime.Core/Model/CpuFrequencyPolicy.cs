namespace KvmTime.Model;

/// <summary>A machine's CPU frequency scaling (cpufreq) and whether a frequency change can move its TSC.</summary>
public sealed class CpuFrequencyPolicy
{
    public required string ComputerName { get; init; }

    /// <summary>False when the kernel exposes no cpufreq (most guests, or no driver loaded).</summary>
    public required bool HasCpufreq { get; init; }

    /// <summary>The scaling driver(s): intel_pstate, intel_cpufreq, acpi-cpufreq, amd-pstate, ...</summary>
    public required IReadOnlyList<string> Drivers { get; init; }

    /// <summary>The governors in use, each once (performance, powersave, schedutil, ondemand, ...).</summary>
    public required IReadOnlyList<string> Governors { get; init; }

    /// <summary>Governors the driver offers, each once.</summary>
    public required IReadOnlyList<string> AvailableGovernors { get; init; }

    /// <summary>The lowest frequency any CPU's policy allows (scaling_min_freq), in MHz.</summary>
    public double? MinMHz { get; init; }

    /// <summary>The highest frequency any CPU's policy allows (scaling_max_freq), in MHz.</summary>
    public double? MaxMHz { get; init; }

    /// <summary>The hardware's range (cpuinfo_min_freq .. cpuinfo_max_freq), in MHz.</summary>
    public double? HardwareMinMHz { get; init; }

    public double? HardwareMaxMHz { get; init; }

    /// <summary>Every CPU with a cpufreq directory, with its own governor and limits.</summary>
    public required IReadOnlyList<CpuFrequencyCpu> Cpus { get; init; }

    /// <summary>The CPU flag constant_tsc: the TSC ticks at one rate whatever the core frequency. Null when /proc/cpuinfo had no flags.</summary>
    public bool? ConstantTsc { get; init; }

    /// <summary>True when a frequency change can move the TSC's rate (no constant_tsc): pin the frequency (performance governor) on such hosts.</summary>
    public bool? FrequencyCanMoveTsc { get; init; }

    /// <summary>What this means for timekeeping, in words.</summary>
    public required string Summary { get; init; }

    public override string ToString() => $"{ComputerName}: {(HasCpufreq ? string.Join(",", Governors) : "no cpufreq")}";
}
