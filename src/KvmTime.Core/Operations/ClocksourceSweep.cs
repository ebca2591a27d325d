using System.Globalization;
using KvmTime.Linux;
using KvmTime.Linux.ClockRead;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Measure-ClocksourceCost -All: measures with the clocksource in use, then switches to each other
/// available clocksource through the shared change pipeline (Set-GuestClocksource's runtime change:
/// checked, applied by the detached apply script, read back) and measures again. The original is
/// switched back in a finally, so an error or a stop (Ctrl-C) on the way still restores it; that
/// restore is not bound to the stopped call's token.
/// </summary>
internal sealed class ClocksourceSweep(Func<ITarget, CancellationToken, Task<ClocksourceCost>> measure, DateTime utcNow)
{
    /// <summary>How long the restore may take once the call has been stopped.</summary>
    public static readonly TimeSpan RestoreBudget = TimeSpan.FromSeconds(120);

    public static async Task<ClocksourceSweepPlan> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var gathered = await target.GatherAsync(ClocksourceReader.Request().Command("uid", "id -u"), cancellationToken).ConfigureAwait(false);
        return ClocksourceSweepPlan.Plan(ClocksourceReader.Parse(gathered, target.ComputerName), gathered.TextOrNull("uid"), target.ComputerName);
    }

    /// <param name="skipped">Told about a clocksource the kernel would not switch to; the others are still measured.</param>
    public async Task<IReadOnlyList<ClocksourceCost>> RunAsync(ITarget target, ClocksourceSweepPlan plan, Action<KvmTimeException> skipped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(skipped);
        var costs = new List<ClocksourceCost>();
        var switched = false;
        try
        {
            foreach (var name in plan.Order)
            {
                if (name != plan.Original)
                {
                    switched = true;
                    try
                    {
                        await SwitchAsync(target, name, cancellationToken).ConfigureAwait(false);
                    }
                    catch (KvmTimeException e) when (e.ErrorId == ErrorIds.ClocksourceNotSelected)
                    {
                        skipped(e);
                        continue;
                    }
                }

                costs.Add(await measure(target, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            if (switched)
            {
                await RestoreAsync(target, plan).ConfigureAwait(false);
            }
        }

        return ClockReadCostCalculator.RelativeToKvmClock(costs);
    }

    private async Task RestoreAsync(ITarget target, ClocksourceSweepPlan plan)
    {
        using var budget = new CancellationTokenSource(RestoreBudget);
        while (true)
        {
            try
            {
                await SwitchAsync(target, plan.Original, budget.Token).ConfigureAwait(false);
                return;
            }
            catch (KvmTimeException e) when (e.ErrorId == ErrorIds.ChangeInProgress && !budget.IsCancellationRequested)
            {
                // A switch the stop interrupted still runs, detached, on the target and holds the change lock.
                await Task.Delay(TimeSpan.FromMilliseconds(500), budget.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KvmTimeException or OperationCanceledException)
            {
                throw new KvmTimeException(ErrorIds.ClocksourceNotRestored, FailureKind.InvalidResult,
                    string.Format(CultureInfo.InvariantCulture, Messages.ClocksourceNotRestored, plan.ComputerName, plan.Original, e.Message), e)
                { ComputerName = plan.ComputerName };
            }
        }
    }

    private async Task SwitchAsync(ITarget target, string clocksource, CancellationToken cancellationToken)
    {
        var operation = new ClocksourceOperation(ClocksourceRequest.ForSet(clocksource, ChangeScope.Runtime, tscReliable: false, noKvmClock: false, bootLoader: null), clocksource, utcNow);
        foreach (var prepared in await operation.PrepareAsync(target, cancellationToken).ConfigureAwait(false))
        {
            TargetLog.Verbose(target.ComputerName, $"switching the clocksource to {clocksource} to measure it");
            await operation.ApplyAsync(target, prepared.Plan ?? throw prepared.Failure!, cancellationToken).ConfigureAwait(false);
        }
    }
}
