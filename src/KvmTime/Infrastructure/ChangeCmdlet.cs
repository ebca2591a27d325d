using System.Management.Automation;

namespace KvmTime;

/// <summary>The base of cmdlets that change machines and write their result only when asked (-PassThru).</summary>
public abstract class ChangeCmdlet : ConfirmAndApplyCmdlet
{
    /// <summary>Writes a result object per machine (with -WhatIf: the result of not applying the change).</summary>
    [Parameter(HelpMessage = "Write a result object per machine.")]
    public SwitchParameter PassThru { get; set; }

    private protected override bool EmitResults => PassThru;
}
