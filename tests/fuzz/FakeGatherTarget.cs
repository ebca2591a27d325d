using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>A Linux target whose every gather and command answers with parts of the fuzz input.</summary>
internal sealed class FakeGatherTarget(string input) : ITarget
{
    public string ComputerName => "fuzz";

    public TargetOs Os => TargetOs.Linux;

    public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(GatherInput.For(request, input));

    public Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken) =>
        Task.FromResult(new CommandResult(0, input, string.Empty));
}
