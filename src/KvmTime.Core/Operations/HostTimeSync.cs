using System.Globalization;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Sync;

namespace KvmTime.Operations;

/// <summary>Host-side sync: read the guest's offset, then (once confirmed) set its clock to the host's and read again.</summary>
internal static class HostTimeSync
{
    /// <summary>A first set that lands further off than this is repeated once, leading by the measured latency.</summary>
    public static readonly TimeSpan RefineAbove = TimeSpan.FromMilliseconds(10);

    /// <summary>Checks that the guest can be synced and measures its offset (one round trip).</summary>
    public static Task<TimeSyncPlan> PlanAsync(IGuestClock clock, CancellationToken cancellationToken) => PlanAsync(clock, null, cancellationToken);

    /// <summary>The same, for Watch-GuestTime: the plan carries what triggered it.</summary>
    public static async Task<TimeSyncPlan> PlanAsync(IGuestClock clock, SyncTrigger? trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var before = await clock.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return new TimeSyncPlan
        {
            ComputerName = clock.ComputerName,
            Domain = clock.Domain,
            Method = clock.Method,
            Action = clock.SetAction,
            OffsetBefore = before.Offset,
            Source = $"host clock of {clock.ComputerName}",
            Trigger = trigger?.Description,
            TriggerTime = trigger?.Time,
        };
    }

    /// <summary>Sets the guest clock to the host's and reads it again.</summary>
    public static async Task<TimeSyncResult> ApplyAsync(IGuestClock clock, TimeSyncPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var after = await SetAsync(clock, cancellationToken).ConfigureAwait(false);
        return plan.Result(after.Offset, true, string.Format(CultureInfo.InvariantCulture, Messages.GuestClockSetToHost,
            TimeSyncVerdict.Format(plan.OffsetBefore ?? TimeSpan.Zero), TimeSyncVerdict.Format(after.Offset), after.RoundTrip.TotalMilliseconds));
    }

    /// <summary>
    /// The guest applies the time some milliseconds after the host read its clock (a busy or
    /// emulated guest takes longer), so it lands behind by that latency. When the first set shows a
    /// plausible latency, set once more leading by it.
    /// </summary>
    public static async Task<GuestClockSample> SetAsync(IGuestClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var first = await clock.SetAndReadAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        var missed = first.Offset;
        if (missed.Duration() <= RefineAbove || missed.Duration() >= TimeSpan.FromSeconds(1))
        {
            return first;
        }

        // The clock now holds the second set, so its reading is the truth, better or not.
        return await clock.SetAndReadAsync(-missed, cancellationToken).ConfigureAwait(false);
    }
}
