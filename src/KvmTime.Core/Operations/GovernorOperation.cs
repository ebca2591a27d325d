using KvmTime.Changes;
using KvmTime.Linux.CpuFrequency;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>Set-CpuFrequencyPolicy: one gather (cpufreq files, and with -Persistent the boot-time service), one apply script that ends with the verifying re-read.</summary>
/// <param name="stateDirectory">Where the target keeps the change lock and journal; tests point it at a temporary directory.</param>
internal sealed class GovernorOperation(GovernorRequest request, DateTime utcNow, string stateDirectory = ApplyScript.StateDirectory) : IChangeOperation
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var gathered = await target.GatherAsync(GovernorPlanner.Request(request), cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(GovernorPlanner.Plan(request, gathered, utcNow, target.ComputerName));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        var governor = (GovernorPlan)plan;
        if (!governor.IsChange)
        {
            return GovernorPlanner.Unchanged(governor, applied: true);
        }

        var gathered = await ChangeRunner.ApplyAsync(target, governor.Changes, GovernorPlanner.Request(governor.Request), cancellationToken, stateDirectory).ConfigureAwait(false);
        return GovernorPlanner.Verified(governor, gathered);
    }

    public object NotApplied(IChangePlan plan) => GovernorPlanner.Unchanged((GovernorPlan)plan, applied: false);
}
