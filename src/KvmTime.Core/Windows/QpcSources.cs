namespace KvmTime.Windows;

/// <summary>What a QueryPerformanceFrequency value says about the timer behind QueryPerformanceCounter.</summary>
internal static class QpcSources
{
    public const long NormalizedTsc = 10_000_000;
    public const long AcpiPmTimer = 3_579_545;
    public const long QemuHpet = 100_000_000;
    public const long PhysicalHpet = 14_318_180;

    /// <summary>A short name in the style of Linux clocksources: tsc, acpi_pm, hpet or unknown.</summary>
    public static string ShortName(long frequency) => frequency switch
    {
        NormalizedTsc => "tsc",
        AcpiPmTimer => "acpi_pm",
        QemuHpet or PhysicalHpet => "hpet",
        _ => "unknown",
    };

    /// <param name="hyperVReferenceTsc">The Hyper-V reference TSC page is visible to the guest (hypervclock).</param>
    public static string Describe(long frequency, bool hyperVReferenceTsc) => frequency switch
    {
        NormalizedTsc when hyperVReferenceTsc => "10 MHz: the Hyper-V reference TSC page (hypervclock) or the invariant TSC, normalized by Windows 10/2016+",
        NormalizedTsc => "10 MHz: the invariant TSC, normalized by Windows 10/2016+",
        AcpiPmTimer => "3.579545 MHz: the ACPI PM timer (platform clock)",
        QemuHpet => "100 MHz: QEMU's emulated HPET (platform clock)",
        PhysicalHpet => "14.31818 MHz: a physical chipset HPET (platform clock)",
        _ => $"{frequency} Hz: not a known platform timer; older Windows reports the TSC rate itself",
    };

    /// <summary>Reading QPC stays in user mode for TSC-based sources; HPET and ACPI PM reads trap into the hypervisor.</summary>
    public static bool IsUserModeReadable(long frequency) => frequency == NormalizedTsc;
}
