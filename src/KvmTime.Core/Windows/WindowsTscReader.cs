using KvmTime.Model;

namespace KvmTime.Windows;

/// <summary>Test-ConstantTsc for Windows: invariant TSC from CPUID 0x80000007 EDX bit 8, judged with the timer facts.</summary>
internal static class WindowsTscReader
{
    public static TscReport Report(WindowsClockFacts facts, string computerName)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (clock, windows) = WindowsClockParser.Clocksource(facts, computerName);
        var invariant = WindowsClockParser.InvariantTsc(facts);
        var guest = facts.Leaf(1) is { } leaf1 && HyperVCpuid.HypervisorPresent(leaf1[2]);
        var (recommended, text) = Advise(invariant, windows);
        return new TscReport
        {
            ComputerName = computerName,
            CpuVendor = facts.Leaf(0) is { } leaf0 ? HyperVCpuid.Vendor(leaf0[1], leaf0[3], leaf0[2]) : "Unknown",
            ConstantTsc = invariant == true,
            NonstopTsc = invariant == true,
            TscKnownFreq = false,
            TscReliable = false,
            TscAdjust = false,
            IsGuest = guest,
            IsInvariant = invariant == true,
            // Windows keeps no record like Linux's "Marking TSC unstable".
            MarkedUnstable = null,
            UnstableEvidence = [],
            CurrentClocksource = clock.Current,
            RecommendedClocksource = recommended,
            CStateLimitAdvised = false,
            Recommendation = text,
        };
    }

    private static (string Clocksource, string Text) Advise(bool? invariant, WindowsClockInfo windows)
    {
        if (invariant is null)
        {
            return ("Unknown", $"Unknown: invariant TSC could not be read ({windows.CpuIdError}). Connect to a PowerShell 7 endpoint (New-PSSession -ConfigurationName PowerShell.7) to read CPUID.");
        }

        if (windows.HyperVClockVisible == true)
        {
            return ("hypervclock", "The Hyper-V clock is visible: Windows uses the reference TSC page. Keep useplatformclock unset.");
        }

        return invariant.Value
            ? ("tsc", "Invariant TSC: keep useplatformclock unset; on the host, give the domain the hypervclock timer (Set-KvmDomainClock -Preset Windows).")
            : ("platform", "No invariant TSC: give the domain the hypervclock timer (Set-KvmDomainClock -Preset Windows); without it, useplatformclock (Set-GuestClocksource -Clocksource Rtc) avoids a drifting TSC.");
    }
}
