using System.Management.Automation;
using KvmTime.Linux.ClockRead;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Measures what a clock read costs with the current clocksource: ns per clock_gettime for
/// CLOCK_MONOTONIC and CLOCK_REALTIME, and whether the vDSO serves them or they fall back to a
/// system call. In-process locally, in the session's pwsh through a PSSession, python3 or perl over SSH.
/// -All (root) measures with every available clocksource in turn and switches the original back.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "ClocksourceCost", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClocksourceCost))]
public sealed class MeasureClocksourceCostCommand : TargetCmdlet
{
    /// <summary>Over SSH: the interpreter that runs the loop. Auto takes perl, else python3.</summary>
    [Parameter(HelpMessage = "Over SSH: Auto (perl, else python3), Perl or Python3.")]
    public ClockReadInterpreter Interpreter { get; set; } = ClockReadInterpreter.Auto;

    /// <summary>Measures with every available clocksource, switching at runtime, and switches the original back (root only).</summary>
    [Parameter(HelpMessage = "Measure with every available clocksource (root; switches it, then switches the original back).")]
    public SwitchParameter All { get; set; }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        if (!All)
        {
            return [await MeasureAsync(target, cancellationToken).ConfigureAwait(false)];
        }

        var plan = await ClocksourceSweep.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        var (approved, _) = await ConfirmChangeFromWorker(plan.Action, target.ComputerName, plan.Describe().TrimEnd('\n')).ConfigureAwait(false);
        if (!approved)
        {
            return [];
        }

        var sweep = new ClocksourceSweep(MeasureAsync, DateTime.UtcNow);
        return [.. await sweep.RunAsync(target, plan, e => WriteErrorFromWorker(e, target.ComputerName), cancellationToken).ConfigureAwait(false)];
    }

    private Task<ClocksourceCost> MeasureAsync(ITarget target, CancellationToken cancellationToken) =>
        ClockReadMeasurement.MeasureAsync(target, Interpreter, cancellationToken);
}
