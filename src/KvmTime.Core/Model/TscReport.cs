namespace KvmTime.Model;

/// <summary>Whether a machine's TSC can be trusted for timekeeping, and what to do about it.</summary>
public sealed class TscReport
{
    public required string ComputerName { get; init; }

    public required string CpuVendor { get; init; }

    /// <summary>constant_tsc: the TSC ticks at a constant rate whatever the CPU frequency.</summary>
    public required bool ConstantTsc { get; init; }

    /// <summary>nonstop_tsc: the TSC keeps ticking in deep C-states.</summary>
    public required bool NonstopTsc { get; init; }

    public required bool TscKnownFreq { get; init; }

    public required bool TscReliable { get; init; }

    public required bool TscAdjust { get; init; }

    /// <summary>The CPU reports a hypervisor: this machine is a guest.</summary>
    public required bool IsGuest { get; init; }

    /// <summary>Invariant TSC: constant_tsc and nonstop_tsc together (CPUID 0x80000007 EDX bit 8).</summary>
    public required bool IsInvariant { get; init; }

    /// <summary>Whether the kernel marked the TSC unstable since boot; null when the kernel log could not be read.</summary>
    public required bool? MarkedUnstable { get; init; }

    /// <summary>The kernel log lines or boot arguments that show the TSC was marked unstable.</summary>
    public required IReadOnlyList<string> UnstableEvidence { get; init; }

    public required string CurrentClocksource { get; init; }

    /// <summary>The clocksource the guidance points to on this machine.</summary>
    public required string RecommendedClocksource { get; init; }

    /// <summary>True when deep C-states should be limited (processor.max_cstate=1) because the TSC is not invariant.</summary>
    public required bool CStateLimitAdvised { get; init; }

    public required string Recommendation { get; init; }

    /// <summary>True when the TSC is invariant and has not been marked unstable: what -Quiet returns.</summary>
    public bool IsTrustworthy => IsInvariant && MarkedUnstable != true;
}
