using KvmTime.Changes;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>Carries out a plan on a target in one round trip and returns what the verification request read back.</summary>
internal static class ChangeRunner
{
    public static async Task<GatherResult> ApplyAsync(ITarget target, ChangePlan plan, GatherRequest verify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var nonce = LinuxGatherScript.NewNonce();
        var result = await target.RunShellAsync(ApplyScript.Build(plan, verify, nonce), null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw ApplyScript.Failure(result, target.ComputerName);
        }

        return LinuxGatherScript.Parse(result.StandardOutput, nonce);
    }
}
