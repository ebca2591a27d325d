using KvmTime.Changes;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>Set-KernelCStateLimit: one gather (TSC, cpuidle, boot facts), one apply script that ends with the verifying re-read.</summary>
internal sealed class CStateLimitOperation(CStateLimitRequest request, DateTime utcNow) : IChangeOperation
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reader = new BootFactsReader();
        var gathered = await target.GatherAsync(CStateLimitPlanner.Request(reader), cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(CStateLimitPlanner.Plan(request, reader, gathered, utcNow, target.ComputerName));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        var limit = (CStateLimitPlan)plan;
        if (!limit.IsChange)
        {
            return CStateLimitPlanner.Unchanged(limit, applied: true);
        }

        var reader = new BootFactsReader();
        var gathered = await ChangeRunner.ApplyAsync(target, limit.Changes, reader.AddTo(new GatherRequest()), cancellationToken).ConfigureAwait(false);
        return CStateLimitPlanner.Verified(limit, reader, gathered);
    }

    public object NotApplied(IChangePlan plan) => CStateLimitPlanner.Unchanged((CStateLimitPlan)plan, applied: false);
}
