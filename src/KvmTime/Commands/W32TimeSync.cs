using KvmTime.Model;
using KvmTime.Sync;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>Sync-GuestTime -Method W32Time: w32tm /resync /force, with the phase offset before and after from the service status.</summary>
internal static class W32TimeSync
{
    public static async Task<TimeSyncPlan> PlanAsync(ITarget target, CancellationToken cancellationToken)
    {
        var before = await ReadAsync(target, cancellationToken).ConfigureAwait(false);
        TimeSyncPlan? plan = null;
        plan = new TimeSyncPlan
        {
            ComputerName = target.ComputerName,
            Method = "W32Time",
            Action = "w32tm /resync /force",
            OffsetBefore = before.PhaseOffset,
            Source = before.Source,
            ApplyAsync = async token =>
            {
                var (code, message) = W32TimeResync.Parse(await WindowsTargets.InvokeAsync(target, W32TimeResync.Script, new Dictionary<string, object?>(), token).ConfigureAwait(false));
                var after = await ReadAsync(target, token).ConfigureAwait(false);
                var succeeded = code == 0 && after.IsSynchronized;
                return plan!.Result(after.PhaseOffset, succeeded, succeeded
                    ? $"w32time resynchronized with {after.Source}."
                    : $"w32tm /resync failed (exit code {code}): {message} Check the peer list with 'w32tm /query /peers'.");
            },
        };
        return plan;
    }

    private static async Task<W32TimeStatus> ReadAsync(ITarget target, CancellationToken cancellationToken) =>
        W32TimeStatusParser.Parse(await WindowsTargets.InvokeAsync(target, W32TimeSyncStatus.Script, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false), target.ComputerName);
}
