using System.Globalization;
using KvmTime.Linux;
using KvmTime.Model;

namespace KvmTime.Health;

/// <summary>The clock hardware findings of a Linux target: clocksource, TSC and pending boot arguments.</summary>
internal static class ClockHealthRules
{
    public static IEnumerable<HealthFinding> Evaluate(LinuxHealthFacts facts, FixCommand fix)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(fix);
        return new[] { Vdso(facts, fix), Invariance(facts, fix), Unstable(facts), Reboot(facts) }.OfType<HealthFinding>();
    }

    private static HealthFinding? Vdso(LinuxHealthFacts facts, FixCommand fix)
    {
        var clock = facts.Clock;
        var better = new[] { "kvm-clock", "tsc" }.FirstOrDefault(c => c != clock.Current && clock.Available.Contains(c));
        if (clock.IsVdsoCapable || better is null)
        {
            return null;
        }

        // A clocksource= boot argument would bring the slow source back at the next boot: change both.
        var pinned = KernelCommandLine.Last(facts.KernelArguments, "clocksource") is not null;
        return new HealthFinding
        {
            Id = HealthFindingIds.ClocksourceWithoutVdso,
            Severity = HealthFindingSeverity.Warning,
            Message = $"The clocksource is {clock.Current}, which has no vDSO read path: every clock_gettime is a system call (tens of times slower), although {better} is available.",
            Evidence = $"current_clocksource={clock.Current}; available_clocksource={string.Join(' ', clock.Available)}",
            EvidenceSource = Clocksources.CurrentPath,
            Fix = pinned ? fix.For("Set-GuestClocksource", ("Clocksource", better), ("Scope", "Both")) : fix.For("Set-GuestClocksource", ("Clocksource", better)),
        };
    }

    private static HealthFinding? Invariance(LinuxHealthFacts facts, FixCommand fix)
    {
        if (facts.IsVirtualMachine || facts.Cpu is not { } cpu || (cpu.Has("constant_tsc") && cpu.Has("nonstop_tsc")))
        {
            return null;
        }

        var limit = KernelCommandLine.Last(facts.KernelArguments, "processor.max_cstate") ?? KernelCommandLine.Last(facts.KernelArguments, "intel_idle.max_cstate");
        var deep = facts.Idle.DeeperThan(1).ToList();
        var idleLimited = limit is not null || (facts.Idle.States.Count > 0 && deep.All(s => s.Disabled));
        var pinned = facts.Frequency.HasCpufreq && facts.Frequency.Governors.All(g => g == "performance");
        if (idleLimited || pinned)
        {
            return null;
        }

        var missing = string.Join(' ', new[] { "constant_tsc", "nonstop_tsc" }.Where(f => !cpu.Has(f)));
        return new HealthFinding
        {
            Id = HealthFindingIds.TscNotInvariant,
            Severity = HealthFindingSeverity.Warning,
            Message = "This host's TSC is not invariant and nothing holds it steady: neither a C-state limit nor a fixed CPU frequency, so the TSC its guests read changes rate with idle states and frequency.",
            Evidence = $"/proc/cpuinfo flags lack {missing}; no processor.max_cstate or intel_idle.max_cstate; cpuidle {facts.Idle.Driver} with {deep.Count(s => !s.Disabled).ToString(CultureInfo.InvariantCulture)} deep state(s) enabled; governor {(facts.Frequency.HasCpufreq ? string.Join(",", facts.Frequency.Governors) : "none (no cpufreq)")}",
            EvidenceSource = "/proc/cpuinfo, /proc/cmdline, /sys/devices/system/cpu",
            Fix = fix.For("Set-KernelCStateLimit", ("MaxCState", "1")),
        };
    }

    private static HealthFinding? Unstable(LinuxHealthFacts facts)
    {
        if (facts.TscUnstableArguments.Count > 0)
        {
            return new HealthFinding
            {
                Id = HealthFindingIds.TscMarkedUnstable,
                Severity = HealthFindingSeverity.Warning,
                Message = "A boot argument marks the TSC unstable from the start, so the kernel never uses it as a clocksource.",
                Evidence = facts.TscUnstableArguments[0],
                EvidenceSource = "/proc/cmdline",
            };
        }

        // The worst incident decides: a likely real one over an undetermined one over a likely false positive.
        var worst = (facts.TscUnstableEvents ?? []).OrderByDescending(e => Rank(e.Verdict)).ThenBy(e => e.TimeCreated).FirstOrDefault();
        if (worst is null)
        {
            return null;
        }

        var verdict = worst.Verdict ?? ClocksourceVerdict.Undetermined;
        var count = facts.TscUnstableEvents!.Count;
        return new HealthFinding
        {
            Id = HealthFindingIds.TscMarkedUnstable,
            Severity = verdict == ClocksourceVerdict.LikelyReal ? HealthFindingSeverity.Critical : HealthFindingSeverity.Warning,
            Message = $"The kernel marked the TSC unstable in this boot ({count.ToString(CultureInfo.InvariantCulture)} mark(s)), verdict {verdict}: {worst.VerdictEvidence}.",
            Evidence = worst.Lines.Count > 0 ? worst.Lines[0] : worst.Message,
            EvidenceSource = worst.Source,
        };
    }

    private static int Rank(ClocksourceVerdict? verdict) => verdict switch
    {
        ClocksourceVerdict.LikelyReal => 2,
        ClocksourceVerdict.Undetermined or null => 1,
        _ => 0,
    };

    private static HealthFinding? Reboot(LinuxHealthFacts facts)
    {
        if (facts.BootArguments is not { RebootRequired: true } boot)
        {
            return null;
        }

        var changes = boot.PendingAdded.Select(a => "+" + a).Concat(boot.PendingRemoved.Select(a => "-" + a));
        return new HealthFinding
        {
            Id = HealthFindingIds.RebootPending,
            Severity = HealthFindingSeverity.Warning,
            Message = "The next boot gets other timing arguments than the kernel runs with: a change made for timekeeping is not in effect until the machine reboots.",
            Evidence = $"next boot {string.Join(' ', changes)}",
            EvidenceSource = boot.Source,
        };
    }
}
