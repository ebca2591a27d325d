namespace KvmTime.Model;

/// <summary>What clocksource a machine uses, what it could use, and what pins the choice.</summary>
public sealed class ClocksourceInfo
{
    public required string ComputerName { get; init; }

    /// <summary>Linux or Windows.</summary>
    public required string Os { get; init; }

    /// <summary>The clocksource in use (current_clocksource).</summary>
    public required string Current { get; init; }

    /// <summary>The clocksources the kernel offers (available_clocksource), in the kernel's order.</summary>
    public required IReadOnlyList<string> Available { get; init; }

    /// <summary>True when user-space clock reads (clock_gettime) stay in the vDSO, without a system call.</summary>
    public required bool IsVdsoCapable { get; init; }

    /// <summary>Clocksource and timing arguments from /proc/cmdline, e.g. clocksource=tsc, tsc=reliable, no-kvmclock.</summary>
    public required IReadOnlyList<string> KernelArguments { get; init; }

    public override string ToString() => $"{ComputerName}: {Current}";
}
