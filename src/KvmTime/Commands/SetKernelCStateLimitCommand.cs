using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Operations;

namespace KvmTime.Commands;

/// <summary>
/// Limits how deep a Linux machine's CPUs may idle: processor.max_cstate (and intel_idle.max_cstate
/// where intel_idle is or could be the driver) for every boot, and with -Runtime the cpuidle states
/// beyond the limit are disabled at once on every CPU. -Remove undoes both.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KernelCStateLimit", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SetParameterSet)]
[OutputType(typeof(CStateLimitResult))]
public sealed class SetKernelCStateLimitCommand : ChangeCmdlet
{
    private const string SetParameterSet = "Set";
    private const string RemoveParameterSet = "Remove";

    /// <summary>The deepest C-state allowed, 0 to 9 (0 and 1 both keep C1).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SetParameterSet, HelpMessage = "The deepest C-state allowed, 0 to 9.")]
    [ValidateRange(0, 9)]
    public int MaxCState { get; set; }

    /// <summary>Also disable the deeper idle states now, on every CPU.</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Also disable the deeper idle states now, on every CPU.")]
    public SwitchParameter Runtime { get; set; }

    /// <summary>Removes the limit: both kernel arguments, and re-enables every disabled idle state.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveParameterSet, HelpMessage = "Remove the limit from the kernel arguments and re-enable every idle state.")]
    public SwitchParameter Remove { get; set; }

    /// <summary>Uses this boot loader instead of the one detected.</summary>
    [Parameter(HelpMessage = "Use this boot loader instead of the detected one.")]
    public BootLoaderKind BootLoader { get; set; }

    private protected override IChangeOperation CreateOperation() => new CStateLimitOperation(
        new CStateLimitRequest
        {
            MaxCState = Remove ? null : MaxCState,
            Runtime = Runtime,
            BootLoader = MyInvocation.BoundParameters.ContainsKey(nameof(BootLoader)) ? BootLoader : null,
        },
        DateTime.UtcNow);
}
