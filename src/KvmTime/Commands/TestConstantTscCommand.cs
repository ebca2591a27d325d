using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>Tests whether a machine's TSC is invariant and stable, and says what clocksource and C-state policy fit.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ConstantTsc")]
[OutputType(typeof(TscReport))]
[OutputType(typeof(bool))]
public sealed class TestConstantTscCommand : TargetCmdlet
{
    /// <summary>Return only a boolean per machine: true when the TSC is invariant and not marked unstable.</summary>
    [Parameter(HelpMessage = "Return only true or false per machine.")]
    public SwitchParameter Quiet { get; set; }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var report = await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false)
            ? WindowsTscReader.Report(await WindowsShell.FactsAsync(target, cancellationToken).ConfigureAwait(false), target.ComputerName)
            : TscReader.Parse(await target.GatherAsync(TscReader.Request(), cancellationToken).ConfigureAwait(false), target.ComputerName);
        return Quiet ? [report.IsTrustworthy] : [report];
    }
}
