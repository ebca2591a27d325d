using System.Globalization;
using KvmTime.Changes;
using KvmTime.Host;
using KvmTime.Resources;
using KvmTime.Sync;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>Which guests of a KVM host Sync-GuestTime sets from the host.</summary>
internal enum HostSyncScope
{
    /// <summary>The named libvirt domains.</summary>
    Domains,

    /// <summary>Every running libvirt domain.</summary>
    AllRunning,

    /// <summary>Guest agent sockets of plain QEMU guests on this machine.</summary>
    AgentSockets,
}

/// <summary>
/// Sync-GuestTime from the KVM host: each guest is checked and measured (one round trip each, at most
/// <c>throttle</c> at once), then set to the host's time through its agent and measured again.
/// Every scope copies the host's time, so the host's own time daemon is checked first (<see cref="HostClockGuard"/>).
/// </summary>
internal sealed class HostTimeSyncOperation(HostSyncScope scope, IReadOnlyList<string> names, string uri, int throttle, TimeSpan? maxOffset, bool force) : IChangeOperation
{
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (scope == HostSyncScope.AgentSockets && target is not LocalTarget)
        {
            throw new KvmTimeException(ErrorIds.AgentSocketNeedsLocalHost, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketNeedsLocalHost, target.ComputerName))
            { ComputerName = target.ComputerName };
        }

        await HostClockGuard.CheckAsync(target, force, cancellationToken).ConfigureAwait(false);
        var guests = scope == HostSyncScope.AllRunning ? await VirshGuestClock.ListRunningAsync(target, uri, cancellationToken).ConfigureAwait(false) : names;
        using var limit = new SemaphoreSlim(throttle, throttle);
        return await Task.WhenAll(guests.Select(async name =>
        {
            await limit.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return PreparedChange.Of(await HostTimeSync.PlanAsync(ClockFor(target, name), cancellationToken).ConfigureAwait(false));
            }
            catch (KvmTimeException e)
            {
                return PreparedChange.Failed(e.ComputerName ?? name, e);
            }
            finally
            {
                limit.Release();
            }
        })).ConfigureAwait(false);
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        var sync = (TimeSyncPlan)plan;
        var result = await HostTimeSync.ApplyAsync(ClockFor(target, sync.Domain!), sync, cancellationToken).ConfigureAwait(false);
        return TimeSyncVerdict.Judge(result, maxOffset);
    }

    public object NotApplied(IChangePlan plan) => ((TimeSyncPlan)plan).NotApplied();

    public KvmTimeException? ErrorFor(object result) => TimeSyncErrors.OffsetAboveMaximum(result, maxOffset);

    private IGuestClock ClockFor(ITarget target, string name) => scope == HostSyncScope.AgentSockets
        ? new AgentSocketGuestClock(target.ComputerName, name, AgentTimeout)
        : new VirshGuestClock(target, uri, name);
}
