using System.Globalization;
using KvmTime.Changes;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Set-KvmDomainClock: reads every asked domain of a host in one round trip, plans each, and applies
/// one in one more round trip (backup, stage, check unchanged, define, re-read), then verifies it.
/// </summary>
internal sealed class DomainClockOperation(string uri, IReadOnlyList<string> domains, DomainClockChange change, string backupDirectory, Func<DateTime> utcNow) : IChangeOperation
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var gathered = await target.GatherAsync(DomainClockScripts.Read(uri, domains, forDefine: true), cancellationToken).ConfigureAwait(false);
        var prepared = new List<PreparedChange>();
        for (var i = 0; i < domains.Count; i++)
        {
            try
            {
                var definition = DomainClockReader.Definition(gathered, i, domains[i], target.ComputerName);
                var plan = DomainClockPlanner.Plan(definition.Domain, definition.Xml, definition.State, change);
                prepared.Add(PreparedChange.Of(new DomainClockChangePlan(target.ComputerName, uri, plan, DomainClockReader.Clock(definition, uri, target.ComputerName))));
            }
            catch (KvmTimeException e)
            {
                prepared.Add(PreparedChange.Failed($"{target.ComputerName}/{domains[i]}", e));
            }
        }

        return prepared;
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var domain = (DomainClockChangePlan)plan;
        if (!domain.IsChange)
        {
            return domain.Result(domain.Before, null);
        }

        var stamp = utcNow().ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var script = DomainClockScripts.Apply(uri, domain.Plan.Domain, backupDirectory, stamp, domain.Plan.OldXml);
        var result = await target.RunShellAsync(script, domain.Plan.NewXml, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failure(target.ComputerName, domain.Plan.Domain, result);
        }

        var split = result.StandardOutput.IndexOf('\n', StringComparison.Ordinal);
        var backup = split < 0 ? string.Empty : result.StandardOutput[..split];
        var reread = split < 0 ? string.Empty : result.StandardOutput[(split + 1)..];
        var check = DomainClockPlanner.Plan(domain.Plan.Domain, reread, "shut off", change);
        if (check.IsChange)
        {
            throw new KvmTimeException(ErrorIds.DomainClockNotVerified, FailureKind.InvalidResult,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainClockNotVerified, target.ComputerName, domain.Plan.Domain, string.Join("; ", check.Changes), backup))
            { ComputerName = target.ComputerName };
        }

        return domain.Result(DomainClockReader.Clock(new DomainDefinition(domain.Plan.Domain, domain.Plan.State, reread), uri, target.ComputerName), backup);
    }

    public object NotApplied(IChangePlan plan)
    {
        var domain = (DomainClockChangePlan)plan;
        return domain.Result(domain.Before, null, applied: false);
    }

    public string? WarningAfter(IChangePlan plan, object result) =>
        result is KvmDomainClockChange { RestartRequired: true } changed && plan is DomainClockChangePlan domain
            ? $"{changed.ComputerName}/{changed.Domain} is {domain.Plan.State}: it keeps its old clock until it is shut down and started again (a reboot from inside the guest is not enough)."
            : null;

    private KvmTimeException Failure(string computerName, string domain, CommandResult result)
    {
        var why = result.StandardError.Trim();
        return result.ExitCode switch
        {
            DomainClockScripts.ExitChangedMeanwhile => new KvmTimeException(ErrorIds.DomainChangedMeanwhile, FailureKind.InvalidOperation,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainChangedMeanwhile, computerName, domain)) { ComputerName = computerName },
            DomainClockScripts.ExitDefineFailed => new KvmTimeException(ErrorIds.DomainDefineFailed, FailureKind.InvalidOperation,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainDefineFailed, computerName, domain, why)) { ComputerName = computerName },
            DomainClockScripts.ExitBackupFailed => new KvmTimeException(ErrorIds.BackupFailed, FailureKind.PermissionDenied,
                string.Format(CultureInfo.InvariantCulture, Messages.BackupFailed, computerName, backupDirectory, why)) { ComputerName = computerName },
            _ => VirshFailures.Classify(why, result.ExitCode, computerName, domain),
        };
    }
}
