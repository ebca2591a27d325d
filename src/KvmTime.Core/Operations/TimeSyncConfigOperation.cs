using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Changes;
using KvmTime.Linux;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Set-GuestTimeSync on Linux: one gather, the plan; one apply script that writes the files, restarts
/// the daemon (or starts a stopped chronyd) and waits up to -Timeout for a selected source; when none is selected, a second change
/// puts the previous files back and restarts the daemon with them.
/// </summary>
internal sealed class TimeSyncConfigOperation(TimeSyncConfigRequest request, DateTime utcNow) : IChangeOperation
{
    private readonly W32TimeConfigOperation windows = new(request);

    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            return await windows.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        }

        var reader = new TimeSyncConfigReader();
        var gathered = await target.GatherAsync(reader.Request(), cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(TimeSyncConfigDispatch.Plan(reader.Parse(gathered, target.ComputerName), request, utcNow));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (plan is W32TimeConfigPlan w32time)
        {
            return await windows.ApplyAsync(target, w32time, cancellationToken).ConfigureAwait(false);
        }

        var config = (TimeSyncConfigPlan)plan;
        if (!config.IsChange)
        {
            return Result(config, await target.GatherAsync(Status(config, 0), cancellationToken).ConfigureAwait(false), applied: true);
        }

        GatherResult gathered;
        try
        {
            gathered = await ChangeRunner.ApplyAsync(target, config.Changes, Status(config, (int)request.Timeout.TotalSeconds), cancellationToken).ConfigureAwait(false);
        }
        catch (KvmTimeException e) when (e.ErrorId == ErrorIds.BootConfigRegenerateFailed && config.Rollback.IsEmpty)
        {
            // Only a start of the stopped daemon was planned: no file to put back, nothing to restart.
            throw new KvmTimeException(ErrorIds.TimeServiceStartFailed, FailureKind.InvalidOperation,
                string.Format(CultureInfo.InvariantCulture, Messages.TimeServiceStartFailed, e.Message, config.Daemon), e)
            { ComputerName = target.ComputerName };
        }
        catch (KvmTimeException e) when (e.ErrorId == ErrorIds.BootConfigRegenerateFailed)
        {
            // The files are back (the apply script's journal), but the daemon may have stopped on the new ones.
            var restarted = await RestartAsync(target, config, cancellationToken).ConfigureAwait(false);
            throw new KvmTimeException(ErrorIds.TimeServiceRestartFailed, FailureKind.InvalidOperation,
                string.Format(CultureInfo.InvariantCulture, Messages.TimeServiceRestartFailed, e.Message, restarted), e)
            { ComputerName = target.ComputerName };
        }

        var status = gathered.TextOrNull("status") ?? string.Empty;
        if (!Selected(config, status))
        {
            var rollback = await RollBackAsync(target, config, cancellationToken).ConfigureAwait(false);
            throw new KvmTimeException(ErrorIds.TimeSourceNotSelected, FailureKind.OperationTimeout, string.Format(CultureInfo.InvariantCulture, Messages.TimeSourceNotSelected, target.ComputerName, config.Daemon, request.PtpKvm ? Messages.PhcReferenceClock : Messages.TimeSource, (int)request.Timeout.TotalSeconds, rollback, Summary(config, status)))
            { ComputerName = target.ComputerName };
        }

        return Result(config, gathered, applied: true);
    }

    public object NotApplied(IChangePlan plan) => plan is W32TimeConfigPlan w32time
        ? W32TimeConfigOperation.Result(w32time, null, applied: false)
        : Result((TimeSyncConfigPlan)plan, new GatherResult([]), applied: false);

    private static GatherRequest Status(TimeSyncConfigPlan plan, int waitSeconds) => new GatherRequest().Command("status", string.Create(CultureInfo.InvariantCulture,
        $"i=0; while :; do out=$({plan.StatusCommand} 2>/dev/null); printf '%s\\n' \"$out\" | grep -qE {ShellQuote.Single(plan.SelectedRegex)} && break; [ $i -ge {waitSeconds} ] && break; sleep 1; i=$((i + 1)); done; printf '%s\\n' \"$out\""));

    private static bool Selected(TimeSyncConfigPlan plan, string status) =>
        status.Split('\n').Any(line => Regex.IsMatch(line, plan.SelectedRegex, RegexOptions.None, TimeSpan.FromSeconds(1)));

    private static IReadOnlyList<TimeSourceInfo> Sources(TimeSyncConfigPlan plan, string status) =>
        plan.Daemon == "ntpd" ? NtpqPeers.Parse(status) : ChronySources.Parse(status);

    private static string Summary(TimeSyncConfigPlan plan, string status)
    {
        var sources = Sources(plan, status);
        return sources.Count == 0 ? Messages.NoSourcesReported : string.Join(", ", sources.Select(s => string.Format(CultureInfo.InvariantCulture, Messages.TimeSourceState, s.Name, s.State, s.Reach)));
    }

    private static async Task<string> RollBackAsync(ITarget target, TimeSyncConfigPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Rollback.IsEmpty)
        {
            return string.Format(CultureInfo.InvariantCulture, Messages.DaemonStartedLeftRunning, plan.Daemon);
        }

        try
        {
            await ChangeRunner.ApplyAsync(target, plan.Rollback, new GatherRequest(), cancellationToken).ConfigureAwait(false);
            var backups = plan.Rollback.Files.Select(f => f.BackupPath).OfType<string>();
            var how = plan.Rollback.Commands.Contains(ChronyService.ReloadSources) ? Messages.DaemonReloadedSources : Messages.DaemonRestartedWithThem;
            return string.Format(CultureInfo.InvariantCulture, Messages.TimeSyncRolledBack, plan.Daemon, how, string.Join(", ", backups));
        }
        catch (KvmTimeException e)
        {
            return string.Format(CultureInfo.InvariantCulture, Messages.RollbackFailedToo, e.Message);
        }
    }

    private static async Task<string> RestartAsync(ITarget target, TimeSyncConfigPlan plan, CancellationToken cancellationToken)
    {
        try
        {
            await ChangeRunner.ApplyAsync(target, new ChangePlan { Commands = plan.Rollback.Commands }, new GatherRequest(), cancellationToken).ConfigureAwait(false);
            return string.Format(CultureInfo.InvariantCulture, Messages.DaemonRestarted, plan.Daemon);
        }
        catch (KvmTimeException e)
        {
            return string.Format(CultureInfo.InvariantCulture, Messages.DaemonRestartFailedToo, plan.Daemon, e.Message);
        }
    }

    private static GuestTimeSyncChange Result(TimeSyncConfigPlan plan, GatherResult gathered, bool applied)
    {
        var sources = Sources(plan, gathered.TextOrNull("status") ?? string.Empty);
        return new GuestTimeSyncChange
        {
            ComputerName = plan.ComputerName,
            Daemon = plan.Daemon,
            Settings = plan.ManagedLines,
            ConfigFiles = plan.ManagedFiles,
            ChangedFiles = applied ? plan.Changes.Files.Select(f => f.Path).ToList() : [],
            BackupFiles = applied ? plan.Changes.Files.Select(f => f.BackupPath).OfType<string>().ToList() : [],
            PhcDevice = plan.PhcDevice,
            SelectedSource = sources.FirstOrDefault(s => s.IsSelected)?.Name,
            Sources = sources,
            Changed = applied && plan.IsChange,
            Applied = applied,
        };
    }
}
