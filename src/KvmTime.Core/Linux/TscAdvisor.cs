using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>The advice of the Red Hat KVM guest timing guidance, as a decision.</summary>
public sealed record TscAdvice(string Clocksource, bool LimitCStates, string Text);

/// <summary>Decides what clocksource and C-state policy a machine should have.</summary>
public static class TscAdvisor
{
    public static TscAdvice Advise(bool invariant, bool? markedUnstable, ClocksourceInfo clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var available = clock.Available;
        var fallback = First(available, "kvm-clock", "hpet", "acpi_pm") ?? clock.Current;
        if (markedUnstable == true)
        {
            return new TscAdvice(fallback, !invariant,
                $"The kernel marked the TSC unstable since boot. Use {fallback}" +
                (invariant ? "; find why the TSC drifted (host overcommit, migration, firmware)." : "; on the host, limit deep C-states (processor.max_cstate=1) and frequency scaling."));
        }

        if (invariant)
        {
            var good = clock.Current is "tsc" or "kvm-clock" ? clock.Current : First(available, "kvm-clock", "tsc") ?? clock.Current;
            return new TscAdvice(good, false,
                $"Invariant TSC: {good} is right" + (markedUnstable is null ? " (kernel log unreadable, run as root to rule out an unstable mark)" : string.Empty) + "; no C-state limit is needed.");
        }

        var guestChoice = First(available, "kvm-clock") ?? fallback;
        return new TscAdvice(guestChoice, true,
            $"No invariant TSC: use {guestChoice}; on the host limit deep C-states (processor.max_cstate=1) and frequency scaling, or fail over to hpet or acpi_pm.");
    }

    private static string? First(IReadOnlyList<string> available, params string[] preferred) =>
        preferred.FirstOrDefault(available.Contains);
}
