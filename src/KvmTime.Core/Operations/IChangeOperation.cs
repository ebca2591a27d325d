using KvmTime.Changes;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// One capability that changes machines, in two steps: <see cref="PrepareAsync"/> gathers in one
/// round trip and decides plans (plain data), <see cref="ApplyAsync"/> carries one out and returns
/// the verified result. Operations are the only code in KvmTime.Core that does I/O on targets
/// besides the targets themselves.
/// </summary>
internal interface IChangeOperation
{
    /// <summary>The plans for one target: usually one; one per domain or guest on a KVM host. An item that cannot be planned is a failure of its own.</summary>
    Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken);

    /// <summary>Applies a plan this operation made, verifies it by reading back, and returns the result object.</summary>
    Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken);

    /// <summary>The result object of a plan that was only shown (-WhatIf).</summary>
    object NotApplied(IChangePlan plan);

    /// <summary>An error to write besides the result, e.g. a sync that stayed outside -MaxOffset; null for none.</summary>
    KvmTimeException? ErrorFor(object result) => null;

    /// <summary>A warning to write after a plan was applied, e.g. that the guest keeps its old clock until restarted.</summary>
    string? WarningAfter(IChangePlan plan, object result) => null;
}
