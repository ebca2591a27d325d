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

    private async Task<ClocksourceCost> MeasureAsync(ITarget target, CancellationToken cancellationToken)
    {
        var text = target switch
        {
            LocalTarget when target.Os != TargetOs.Linux => throw NotLinux(target),
            LocalTarget => await Task.Run(() => ClockReadLoop.Run("InProcess", ClockReadScripts.Repeats), cancellationToken).ConfigureAwait(false),
            PSSessionTarget session => await ThroughSessionAsync(session, cancellationToken).ConfigureAwait(false),
            _ => await OverShellAsync(target, cancellationToken).ConfigureAwait(false),
        };
        return ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(text, target.ComputerName), target.ComputerName);
    }

    private static async Task<string> ThroughSessionAsync(PSSessionTarget session, CancellationToken cancellationToken)
    {
        if (await session.DetectOsAsync(cancellationToken).ConfigureAwait(false) != TargetOs.Linux)
        {
            throw NotLinux(session);
        }

        var parameters = new Dictionary<string, object?> { ["Source"] = ClockReadScripts.LoopSource(), ["Repeats"] = ClockReadScripts.Repeats };
        var output = await session.InvokeAsync(ClockReadScripts.PowerShell, parameters, cancellationToken).ConfigureAwait(false);
        return output.LastOrDefault()?.BaseObject as string ?? string.Empty;
    }

    private async Task<string> OverShellAsync(ITarget target, CancellationToken cancellationToken)
    {
        var result = await target.RunShellAsync(ClockReadScripts.Shell(Interpreter), null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == ClockReadScripts.NoInterpreter)
        {
            var wanted = Interpreter == ClockReadInterpreter.Auto ? "neither perl (with Time::HiRes) nor python3" : $"no {Interpreter.ToString().ToLowerInvariant()}";
            throw new KvmTimeException(ErrorIds.ClockReadInterpreterMissing, FailureKind.ObjectNotFound,
                $"{target.ComputerName} has {wanted} to time clock reads with over SSH. Install perl or python3 there, or measure through a PSSession to its pwsh.") { ComputerName = target.ComputerName };
        }

        return result.StandardOutput;
    }

    private static KvmTimeException NotLinux(ITarget target) =>
        new(ErrorIds.ClockReadNotLinux, FailureKind.NotImplemented,
            $"{target.ComputerName} is not Linux: clock_gettime costs are measured on Linux machines only.") { ComputerName = target.ComputerName };
}
