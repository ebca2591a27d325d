using System.Globalization;
using KvmTime.Linux.ClockRead;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Measures what a clock read costs on one machine with its current clocksource: in-process on this
/// machine, in the session's pwsh through a PSSession, python3 or perl over a shell.
/// </summary>
internal static class ClockReadMeasurement
{
    public static async Task<ClocksourceCost> MeasureAsync(ITarget target, ClockReadInterpreter interpreter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var text = target switch
        {
            LocalTarget when target.Os != TargetOs.Linux => throw NotLinux(target),
            LocalTarget => await Task.Run(() => ClockReadLoop.Run("InProcess", ClockReadScripts.Repeats), cancellationToken).ConfigureAwait(false),
            IPowerShellRunner session => await ThroughSessionAsync(target, session, cancellationToken).ConfigureAwait(false),
            _ => await OverShellAsync(target, interpreter, cancellationToken).ConfigureAwait(false),
        };
        return ClockReadCostCalculator.Compute(ClockReadReportParser.Parse(text, target.ComputerName), target.ComputerName);
    }

    private static async Task<string> ThroughSessionAsync(ITarget target, IPowerShellRunner session, CancellationToken cancellationToken)
    {
        if (await session.DetectOsAsync(cancellationToken).ConfigureAwait(false) != TargetOs.Linux)
        {
            throw NotLinux(target);
        }

        var parameters = new Dictionary<string, object?> { ["Source"] = ClockReadScripts.LoopSource(), ["Repeats"] = ClockReadScripts.Repeats };
        return await session.InvokeForTextAsync(ClockReadScripts.PowerShell, parameters, cancellationToken).ConfigureAwait(false) ?? string.Empty;
    }

    private static async Task<string> OverShellAsync(ITarget target, ClockReadInterpreter interpreter, CancellationToken cancellationToken)
    {
        var result = await target.RunShellAsync(ClockReadScripts.Shell(interpreter), null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == ClockReadScripts.NoInterpreter)
        {
            var wanted = interpreter == ClockReadInterpreter.Auto ? "neither perl (with Time::HiRes) nor python3" : $"no {interpreter.ToString().ToLowerInvariant()}";
            throw new KvmTimeException(ErrorIds.ClockReadInterpreterMissing, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.ClockReadInterpreterMissing, target.ComputerName, wanted)) { ComputerName = target.ComputerName };
        }

        return result.StandardOutput;
    }

    private static KvmTimeException NotLinux(ITarget target) =>
        new(ErrorIds.ClockReadNotLinux, FailureKind.NotImplemented,
            string.Format(CultureInfo.InvariantCulture, Messages.ClockReadNotLinux, target.ComputerName)) { ComputerName = target.ComputerName };
}
