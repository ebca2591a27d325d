using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>The advice of the KVM guest timing guidance, as a decision with its reason.</summary>
internal sealed record TscAdvice(string Clocksource, bool LimitCStates, string Text);

/// <summary>
/// Decides what clocksource and C-state policy a machine should have, from what it reads, not
/// from what it currently runs. A guest that sees an invariant TSC (constant_tsc and nonstop_tsc)
/// that was never marked unstable should read the TSC directly: the kernel itself lowers
/// kvm-clock's rating to 299 then, below tsc's 300, and both are read in the vDSO. Without an
/// invariant TSC, or once the TSC was marked unstable, kvm-clock (or hpet/acpi_pm without it).
/// </summary>
internal static class TscAdvisor
{
    public static TscAdvice Advise(bool invariant, bool? markedUnstable, ClocksourceInfo clock, bool isGuest = true)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var available = clock.Available;
        var flags = invariant ? "constant_tsc and nonstop_tsc present (invariant TSC)" : "no invariant TSC (constant_tsc and nonstop_tsc not both present)";
        var fallback = First(available, "kvm-clock", "hpet", "acpi_pm") ?? clock.Current;
        string choice;
        string reason;
        var limit = !invariant;
        if (markedUnstable == true)
        {
            choice = fallback;
            reason = $"the kernel marked the TSC unstable since boot; {flags}. Use {choice}" +
                (invariant ? "; find why the TSC drifted (host overcommit, migration, firmware)." : "; on the host, limit deep C-states (processor.max_cstate=1) and frequency scaling.");
        }
        else if (invariant)
        {
            choice = First(available, "tsc", "kvm-clock") ?? clock.Current;
            reason = $"{flags}, never marked unstable" + (markedUnstable is null ? " as far as can be seen (kernel log unreadable: run as root to rule out an unstable mark)" : string.Empty) +
                (choice == "tsc"
                    ? $": tsc is cheapest to read and {(isGuest ? "the kernel itself prefers it over kvm-clock (kvm-clock's rating drops to 299, below tsc's 300)" : "needs no watchdog fallback")}; no C-state limit is needed."
                    : $": {choice}, as tsc is not offered; no C-state limit is needed.");
        }
        else
        {
            choice = isGuest ? First(available, "kvm-clock") ?? fallback : First(available, "tsc") ?? fallback;
            reason = $"{flags}: use {choice}; on the {(isGuest ? "host" : "machine")} limit deep C-states (processor.max_cstate=1) and frequency scaling, or fail over to hpet or acpi_pm.";
        }

        var now = clock.Current == choice ? $"Current {clock.Current} is the recommended one" : $"Current {clock.Current}; recommended {choice}";
        return new TscAdvice(choice, limit, $"{now}: {reason}");
    }

    private static string? First(IReadOnlyList<string> available, params string[] preferred) =>
        preferred.FirstOrDefault(available.Contains);
}
