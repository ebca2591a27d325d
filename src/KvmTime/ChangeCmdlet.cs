using System.Management.Automation;
using KvmTime.Changes;

namespace KvmTime;

/// <summary>
/// The base of cmdlets that change machines: a worker plans the change, asks ShouldProcess on the
/// pipeline thread with the exact plan as the -WhatIf text, then applies it and writes the result
/// with -PassThru (with -WhatIf, the result of not applying it).
/// </summary>
public abstract class ChangeCmdlet : TargetCmdlet
{
    /// <summary>Writes a result object per machine.</summary>
    [Parameter(HelpMessage = "Write a result object per machine.")]
    public SwitchParameter PassThru { get; set; }

    private protected async Task<IReadOnlyList<object>> ConfirmAndApplyAsync<T>(string targetName, string action, ChangePlan plan,
        Func<CancellationToken, Task<T>> apply, Func<T> notApplied, CancellationToken cancellationToken)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(notApplied);
        // A plan that changes nothing needs no consent: applying it only reads back.
        if (!plan.IsEmpty && !await ShouldProcessFromWorker($"{targetName}: {action}\n{plan.Describe()}", $"{action} on {targetName}?", MyInvocation.MyCommand.Name).ConfigureAwait(false))
        {
            return PassThru ? [notApplied()] : [];
        }

        var result = await apply(cancellationToken).ConfigureAwait(false);
        return PassThru ? [result] : [];
    }
}
