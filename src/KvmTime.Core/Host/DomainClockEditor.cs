using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>Applies a <see cref="DomainClockPlan"/> on the host in one round trip (backup, stage, define, re-read) and verifies it.</summary>
public static class DomainClockEditor
{
    public static async Task<KvmDomainClockChange> ApplyAsync(
        ITarget target, string uri, DomainClockPlan plan, DomainClockChange change, string backupDirectory, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(plan);
        var stamp = now.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var script = DomainClockScripts.Apply(uri, plan.Domain, backupDirectory, stamp, plan.OldXml);
        var result = await target.RunShellAsync(script, plan.NewXml, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw Failure(target.ComputerName, plan.Domain, backupDirectory, result);
        }

        var split = result.StandardOutput.IndexOf('\n', StringComparison.Ordinal);
        var backup = split < 0 ? string.Empty : result.StandardOutput[..split];
        var reread = split < 0 ? string.Empty : result.StandardOutput[(split + 1)..];
        var check = DomainClockPlanner.Plan(plan.Domain, reread, "shut off", change);
        if (check.IsChange)
        {
            throw new KvmTimeException("DomainClockNotVerified", FailureKind.InvalidResult,
                $"{target.ComputerName}: libvirt accepted the new definition of '{plan.Domain}', but re-reading it still differs: {string.Join("; ", check.Changes)}. The old XML is in {backup}; restore it with 'virsh define {backup}'.")
            { ComputerName = target.ComputerName };
        }

        var clock = DomainClockReader.Clock(new DomainDefinition(plan.Domain, plan.State, reread), uri, target.ComputerName);
        return Result(target.ComputerName, plan, clock, backup);
    }

    /// <summary>The result for a domain that already is as asked, or that was only planned.</summary>
    public static KvmDomainClockChange Result(string computerName, DomainClockPlan plan, KvmDomainClock clock, string? backup)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new KvmDomainClockChange
        {
            ComputerName = computerName,
            Domain = plan.Domain,
            Changed = plan.IsChange && backup is not null,
            RestartRequired = plan.IsChange && plan.RestartRequired && backup is not null,
            Changes = plan.Changes,
            Notes = plan.Notes,
            Diff = plan.Diff,
            BackupPath = backup,
            Clock = clock,
        };
    }

    private static KvmTimeException Failure(string computerName, string domain, string backupDirectory, CommandResult result)
    {
        var why = result.StandardError.Trim();
        return result.ExitCode switch
        {
            DomainClockScripts.ExitChangedMeanwhile => new KvmTimeException("DomainChangedMeanwhile", FailureKind.InvalidOperation,
                $"{computerName}: the definition of '{domain}' changed between reading and writing it; nothing was written. Run the command again.") { ComputerName = computerName },
            DomainClockScripts.ExitDefineFailed => new KvmTimeException("DomainDefineFailed", FailureKind.InvalidOperation,
                $"{computerName}: libvirt refused the new definition of '{domain}': {why} The domain keeps its old definition.") { ComputerName = computerName },
            DomainClockScripts.ExitBackupFailed => new KvmTimeException("BackupFailed", FailureKind.PermissionDenied,
                $"{computerName}: could not write the backup or staged XML in {backupDirectory} ({why}); nothing was changed. Use -BackupPath or -UseSudo.") { ComputerName = computerName },
            _ => VirshFailures.Classify(why, result.ExitCode, computerName, domain),
        };
    }
}
