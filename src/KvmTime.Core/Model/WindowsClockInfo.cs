namespace KvmTime.Model;

/// <summary>
/// The Windows-only part of a Windows machine's ClocksourceInfo (its Windows property): BCD timer
/// settings of {current}, the QueryPerformanceFrequency and what it implies, and the Hyper-V
/// enlightenments the guest sees.
/// </summary>
public sealed class WindowsClockInfo
{
    /// <summary>BCD useplatformclock: null when not set (Windows chooses; the TSC on modern systems).</summary>
    public bool? UsePlatformClock { get; init; }

    public bool? UsePlatformTick { get; init; }

    public bool? DisableDynamicTick { get; init; }

    /// <summary>Default, Legacy or Enhanced; null when not set.</summary>
    public string? TscSyncPolicy { get; init; }

    /// <summary>True when the BCD settings were read (through WMI); false leaves them unknown, see BcdError.</summary>
    public required bool BcdRead { get; init; }

    public string? BcdError { get; init; }

    public required long QpcFrequency { get; init; }

    /// <summary>The timer the QPC frequency implies, in words.</summary>
    public required string QpcSource { get; init; }

    /// <summary>The hypervisor's CPUID vendor (Microsoft Hv when KVM shows Hyper-V enlightenments, KVMKVMKVM otherwise); null when CPUID could not be read.</summary>
    public string? HypervisorVendor { get; init; }

    /// <summary>The Hyper-V enlightenments CPUID shows: reference-tsc, time-ref-count, stimer, synic, vpindex, ...</summary>
    public required IReadOnlyList<string> HyperVEnlightenments { get; init; }

    /// <summary>True when the Hyper-V clock (hypervclock: reference TSC page or reference counter) is visible; null when CPUID could not be read.</summary>
    public bool? HyperVClockVisible { get; init; }

    /// <summary>Why CPUID could not be read (Windows PowerShell 5.1 has no CPUID access), if so.</summary>
    public string? CpuIdError { get; init; }

    public required string OsVersion { get; init; }

    public override string ToString() => $"QPC {QpcFrequency} Hz, useplatformclock={(UsePlatformClock?.ToString() ?? "unset")}";
}
