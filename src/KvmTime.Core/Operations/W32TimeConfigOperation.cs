using System.Globalization;
using KvmTime.Changes;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Set-GuestTimeSync on a Windows guest: reads w32tm /query /configuration, then in one call sets the
/// peers and poll interval, /update, resyncs and waits for a new peer to be the source; the status it
/// ends with is judged, and a guest that follows none of the peers gets its previous settings back.
/// </summary>
internal sealed class W32TimeConfigOperation(TimeSyncConfigRequest request)
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        var text = await WindowsShell.InvokeAsync(target, W32TimePeerSettings.Script, null, cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(W32TimeConfigPlanner.Plan(W32TimePeerSettings.From(W32TimeConfigurationParser.Parse(text, target.ComputerName)), request, target.ComputerName));
    }

    public async Task<object> ApplyAsync(ITarget target, W32TimeConfigPlan plan, CancellationToken cancellationToken)
    {
        // Nothing to change: only read the status back.
        var script = plan.IsChange ? plan.ApplyScript(plan.After, (int)request.Timeout.TotalSeconds) : W32TimeSyncStatus.Script;
        var text = await WindowsShell.InvokeAsync(target, script, null, cancellationToken).ConfigureAwait(false);
        var status = W32TimeStatusParser.Parse(text, target.ComputerName);
        if (!W32TimeConfigVerdict.FollowsAPeer(status, plan.Peers))
        {
            if (!plan.IsChange)
            {
                return Result(plan, status, applied: true);
            }

            string rollback;
            try
            {
                await WindowsShell.InvokeAsync(target, plan.ApplyScript(plan.Before, 0), null, cancellationToken).ConfigureAwait(false);
                rollback = Messages.W32TimeRolledBack;
            }
            catch (KvmTimeException e)
            {
                rollback = string.Format(CultureInfo.InvariantCulture, Messages.RollbackFailedToo, e.Message);
            }

            throw new KvmTimeException(ErrorIds.TimeSourceNotSelected, FailureKind.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, Messages.W32TimeSourceNotSelected, target.ComputerName, status.Source ?? Messages.NoTimeSource, string.Join(", ", plan.Peers), (int)request.Timeout.TotalSeconds, rollback))
            { ComputerName = target.ComputerName };
        }

        return Result(plan, status, applied: true);
    }

    public static GuestTimeSyncChange Result(W32TimeConfigPlan plan, W32TimeStatus? status, bool applied) => new()
    {
        ComputerName = plan.ComputerName,
        Daemon = "W32Time",
        Settings = [$"NtpServer {plan.After.NtpServer}", $"Type {plan.After.Type}", $"SpecialPollInterval {plan.After.SpecialPollInterval}"],
        ConfigFiles = [@"HKLM\SYSTEM\CurrentControlSet\Services\W32Time"],
        ChangedFiles = [],
        BackupFiles = [],
        SelectedSource = status?.Source,
        Changed = applied && plan.IsChange,
        Applied = applied,
    };
}
