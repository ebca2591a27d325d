using System.Globalization;
using KvmTime.Changes;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>Carries out a plan on a target in one round trip and returns what the verification request read back.</summary>
internal static class ChangeRunner
{
    /// <param name="stateDirectory">Where the target keeps the change lock and journal; tests point it at a temporary directory.</param>
    public static async Task<GatherResult> ApplyAsync(ITarget target, ChangePlan plan, GatherRequest verify, CancellationToken cancellationToken, string stateDirectory = ApplyScript.StateDirectory)
    {
        ArgumentNullException.ThrowIfNull(target);
        var nonce = LinuxGatherScript.NewNonce();
        CommandResult result;
        try
        {
            result = await target.RunShellAsync(ApplyScript.Build(plan, verify, nonce, stateDirectory), null, cancellationToken).ConfigureAwait(false);
        }
        catch (KvmTimeException e) when (e.ErrorId == ErrorIds.CommandTimeout)
        {
            throw new KvmTimeException(ErrorIds.ChangeStillRunning, FailureKind.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, Messages.ChangeStillRunning, target.ComputerName), e)
            { ComputerName = target.ComputerName };
        }

        foreach (var warning in PreviousChanges.Parse(result.StandardOutput, nonce, stateDirectory))
        {
            TargetLog.Warning(target.ComputerName, warning);
        }

        if (result.ExitCode != 0)
        {
            throw ApplyScript.Failure(result, target.ComputerName);
        }

        return LinuxGatherScript.Parse(result.StandardOutput, nonce);
    }
}
