namespace KvmTime.Targets;

/// <summary>Gathers through a target's shell in one round trip: how every remote Linux target gathers.</summary>
internal static class ShellGather
{
    public static async Task<GatherResult> RunAsync(ITarget target, GatherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var nonce = LinuxGatherScript.NewNonce();
        var result = await target.RunShellAsync(LinuxGatherScript.Build(request, nonce), null, cancellationToken).ConfigureAwait(false);
        var gathered = LinuxGatherScript.Parse(result.StandardOutput, nonce);
        TargetLog.Verbose(target.ComputerName, gathered.Describe());
        return gathered;
    }
}
