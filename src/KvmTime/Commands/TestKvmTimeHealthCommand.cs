using System.Management.Automation;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Checks a guest's or host's timekeeping in one round trip: a verdict, the findings with their evidence, and the command that fixes each.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KvmTimeHealth")]
[OutputType(typeof(KvmTimeHealth))]
[OutputType(typeof(bool))]
public sealed class TestKvmTimeHealthCommand : TargetCmdlet
{
    /// <summary>Return only a boolean per machine: true when it is Healthy.</summary>
    [Parameter(HelpMessage = "Return only true (Healthy) or false per machine.")]
    public SwitchParameter Quiet { get; set; }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var result = await HealthCheck.CheckAsync(target, FixTargetArguments.For(target, this), cancellationToken).ConfigureAwait(false);
        foreach (var warning in result.Warnings)
        {
            WriteWarningFromWorker(warning);
        }

        return Quiet ? [result.Health.Verdict == HealthVerdict.Healthy] : [result.Health];
    }
}
