using KvmTime.Model;

namespace KvmTime.Health;

/// <summary>Turns a target's findings into its one <see cref="KvmTimeHealth"/>: worst first, the verdict the worst of them.</summary>
internal static class HealthReport
{
    /// <param name="warnings">Gets one line per domain whose XML could not be judged; the host and its other domains still are.</param>
    public static KvmTimeHealth Linux(LinuxHealthFacts facts, FixCommand fix, DateTime checkedAtUtc, ICollection<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = Ordered(ClockHealthRules.Evaluate(facts, fix)
            .Concat(TimeSyncHealthRules.Evaluate(facts, fix))
            .Concat((facts.Domains ?? []).SelectMany(d => DomainFindings(d, fix, warnings))));
        return new KvmTimeHealth
        {
            ComputerName = facts.ComputerName,
            OperatingSystem = "Linux",
            Verdict = VerdictOf(findings),
            Findings = findings,
            CheckedAt = checkedAtUtc,
            IsKvmHost = facts.TimeSync.IsKvmHost,
            IsVirtualMachine = facts.IsVirtualMachine,
            Clocksource = facts.Clock.Current,
            TimeDaemon = facts.TimeSync.Daemon,
            Offset = facts.TimeSync.Offset,
            IsSynchronized = facts.TimeSync.IsSynchronized,
            DomainCount = facts.Domains?.Count ?? 0,
        };
    }

    private static List<HealthFinding> DomainFindings(RunningDomain domain, FixCommand fix, ICollection<string>? warnings)
    {
        try
        {
            return DomainHealthRules.Evaluate(domain, fix).ToList();
        }
        catch (KvmTime.Targets.KvmTimeException e)
        {
            warnings?.Add($"domain '{domain.Name}' was not checked: {e.Message}");
            return [];
        }
    }

    /// <summary>Worst first; then by subject and Id, so two runs list the same findings in the same order.</summary>
    public static IReadOnlyList<HealthFinding> Ordered(IEnumerable<HealthFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Subject, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
    }

    public static HealthVerdict VerdictOf(IReadOnlyList<HealthFinding> ordered)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        return ordered.Count == 0 ? HealthVerdict.Healthy : ordered[0].Severity == HealthFindingSeverity.Critical ? HealthVerdict.Critical : HealthVerdict.Warning;
    }
}
