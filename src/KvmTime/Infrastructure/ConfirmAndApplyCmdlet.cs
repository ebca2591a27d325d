using KvmTime.Changes;
using KvmTime.Operations;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The one confirm-and-apply of every cmdlet that changes machines. Per target a worker prepares the
/// operation's plans (one round trip); each plan that changes something is shown and asked for on
/// the pipeline thread, then applied (one more round trip) and its verified result written:
/// -WhatIf prints the standard "What if: Performing the operation ..." line and then the exact change;
/// -Confirm asks with the same text; a result is written when <see cref="EmitResults"/> says so,
/// and under -WhatIf it is the result of not applying the plan; a declined plan writes nothing.
/// </summary>
public abstract class ConfirmAndApplyCmdlet : TargetCmdlet
{
    private IChangeOperation? operation;

    /// <summary>True when results go to the pipeline (-PassThru, or always for a cmdlet whose result is its report).</summary>
    private protected abstract bool EmitResults { get; }

    /// <summary>The operation this cmdlet runs, from its bound parameters; called once, before any target is contacted.</summary>
    private protected abstract IChangeOperation CreateOperation();

    protected override void BeginProcessing()
    {
        try
        {
            operation = CreateOperation();
        }
        catch (KvmTimeException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, string.Empty));
        }

        base.BeginProcessing();
    }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var prepared = await operation!.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        // Several guests of one host go on concurrently, at most -ThrottleLimit at once, as targets do.
        using var throttle = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        var results = await Task.WhenAll(prepared.Select(async item =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (item.Plan is not null)
                {
                    return await ConfirmAndApplyAsync(target, item.Plan, cancellationToken).ConfigureAwait(false);
                }

                WriteErrorFromWorker(item.Failure!, item.Item);
            }
            catch (Exception e) when (prepared.Count > 1 && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
            {
                // One domain or guest of a host failing, however it fails (a malformed agent reply
                // included), never stops the others: it is that guest's error.
                WriteErrorFromWorker(e, e is KvmTimeException { ComputerName: { } where } ? where : item.Item);
            }
            finally
            {
                throttle.Release();
            }

            return null;
        })).ConfigureAwait(false);
        return results.OfType<object>().ToList();
    }

    /// <summary>Shows and asks for one plan, applies it, writes its error and warning; returns its result (or null when declined or not emitted).</summary>
    private protected async Task<object?> ConfirmAndApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        foreach (var warning in plan.Warnings)
        {
            WriteWarningFromWorker(warning);
        }

        if (!plan.IsChange)
        {
            // Nothing to change needs no consent: applying it only reads back.
            WriteVerboseFromWorker($"{plan.Target}: already as asked; nothing to change.");
        }
        else
        {
            var change = plan.Describe().TrimEnd('\n');
            WriteVerboseFromWorker($"{plan.Target}: decided: {plan.Action} ({change.Split('\n').Length} lines of change)");
            var (approved, whatIf) = await ConfirmChangeFromWorker(plan.Action, plan.Target, change).ConfigureAwait(false);
            if (!approved)
            {
                return whatIf && EmitResults ? operation!.NotApplied(plan) : null;
            }
        }

        var result = await operation!.ApplyAsync(target, plan, cancellationToken).ConfigureAwait(false);
        WriteVerboseFromWorker($"{plan.Target}: changed and verified: {result}");
        if (operation.ErrorFor(result) is { } error)
        {
            WriteErrorFromWorker(error, plan.Target);
        }

        if (operation.WarningAfter(plan, result) is { } after)
        {
            WriteWarningFromWorker(after);
        }

        return EmitResults ? result : null;
    }
}
