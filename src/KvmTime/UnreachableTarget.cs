using KvmTime.Targets;

namespace KvmTime;

/// <summary>A named remote machine for which no transport is available yet: every use fails with a clear error.</summary>
internal sealed class UnreachableTarget(string computerName) : ITarget
{
    public string ComputerName { get; } = computerName;

    public TargetOs Os => TargetOs.Unknown;

    public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken) => throw Failure();

    public Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken) => throw Failure();

    private KvmTimeException Failure() => new("RemoteTransportUnavailable", FailureKind.NotImplemented,
        $"{ComputerName}: remote targets are not available in this build. Run the module on that machine.")
    { ComputerName = ComputerName };
}
