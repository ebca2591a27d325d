using System.Globalization;
using KvmTime.Changes;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Sync;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Sync-GuestTime inside the guest: on Linux the running daemon (chrony, ntpd, timesyncd) steps the
/// clock, measured before and after; on Windows w32tm /resync /force, with the phase offset before and
/// after from the service status.
/// </summary>
internal sealed class GuestTimeSyncOperation(GuestSyncMethod method, TimeSpan? maxOffset) : IChangeOperation
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (method is GuestSyncMethod.Auto or GuestSyncMethod.W32Time && await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var before = await ReadW32TimeAsync(target, cancellationToken).ConfigureAwait(false);
            return PreparedChange.One(new TimeSyncPlan
            {
                ComputerName = target.ComputerName,
                Method = "W32Time",
                Action = "w32tm /resync /force",
                OffsetBefore = before.PhaseOffset,
                Source = before.Source,
            });
        }

        if (method == GuestSyncMethod.W32Time)
        {
            throw new KvmTimeException(ErrorIds.W32TimeNeedsWindows, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.W32TimeNeedsWindows, target.ComputerName))
            { ComputerName = target.ComputerName };
        }

        var gathered = await target.GatherAsync(GuestTimeSyncReader.Request(), cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(GuestTimeSyncPlanner.Plan(target.ComputerName, gathered, method));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sync = (TimeSyncPlan)plan;
        TimeSyncResult result;
        if (sync.Steps is { } steps)
        {
            result = GuestTimeSyncPlanner.Result(sync, await target.GatherAsync(steps, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            // Two calls: the resync, then the status it left (w32tm has no single command for both).
            var (code, message) = W32TimeResync.Parse(await WindowsShell.InvokeAsync(target, W32TimeResync.Script, null, cancellationToken).ConfigureAwait(false));
            var after = await ReadW32TimeAsync(target, cancellationToken).ConfigureAwait(false);
            var succeeded = code == 0 && after.IsSynchronized;
            result = sync.Result(after.PhaseOffset, succeeded, succeeded
                ? string.Format(CultureInfo.InvariantCulture, Messages.W32TimeResynchronized, after.Source)
                : string.Format(CultureInfo.InvariantCulture, Messages.W32TimeResyncFailed, code, message));
        }

        return TimeSyncVerdict.Judge(result, maxOffset);
    }

    public object NotApplied(IChangePlan plan) => ((TimeSyncPlan)plan).NotApplied();

    public KvmTimeException? ErrorFor(object result) => TimeSyncErrors.OffsetAboveMaximum(result, maxOffset);

    private static async Task<W32TimeStatus> ReadW32TimeAsync(ITarget target, CancellationToken cancellationToken) =>
        W32TimeStatusParser.Parse(await WindowsShell.InvokeAsync(target, W32TimeSyncStatus.Script, null, cancellationToken).ConfigureAwait(false), target.ComputerName);
}
