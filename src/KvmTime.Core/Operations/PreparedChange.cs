using KvmTime.Changes;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>One item's plan, or why it could not be planned (that item gets an error, the others go on).</summary>
internal sealed class PreparedChange
{
    private PreparedChange(string item, IChangePlan? plan, KvmTimeException? failure)
    {
        Item = item;
        Plan = plan;
        Failure = failure;
    }

    /// <summary>The item's name for its error record: the machine, or machine/domain.</summary>
    public string Item { get; }

    public IChangePlan? Plan { get; }

    public KvmTimeException? Failure { get; }

    public static PreparedChange Of(IChangePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(plan.Target, plan, null);
    }

    public static PreparedChange Failed(string item, KvmTimeException failure) => new(item, null, failure);

    public static IReadOnlyList<PreparedChange> One(IChangePlan plan) => [Of(plan)];
}
