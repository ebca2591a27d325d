namespace KvmTime.Model;

/// <summary>One CPU's cpufreq policy as sysfs shows it (frequencies in MHz).</summary>
public sealed class CpuFrequencyCpu
{
    public required int Cpu { get; init; }

    public string? Driver { get; init; }

    public string? Governor { get; init; }

    public IReadOnlyList<string> AvailableGovernors { get; init; } = [];

    /// <summary>The hardware's lowest frequency (cpuinfo_min_freq).</summary>
    public double? HardwareMinMHz { get; init; }

    /// <summary>The hardware's highest frequency (cpuinfo_max_freq).</summary>
    public double? HardwareMaxMHz { get; init; }

    /// <summary>The policy's floor (scaling_min_freq).</summary>
    public double? ScalingMinMHz { get; init; }

    /// <summary>The policy's ceiling (scaling_max_freq).</summary>
    public double? ScalingMaxMHz { get; init; }

    /// <summary>The frequency now (scaling_cur_freq, else cpuinfo_cur_freq).</summary>
    public double? CurrentMHz { get; init; }

    public override string ToString() => $"cpu{Cpu}: {Governor}";
}
