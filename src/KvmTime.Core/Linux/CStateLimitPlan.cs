using KvmTime.Changes;
using KvmTime.Linux.Boot;

namespace KvmTime.Linux;

/// <summary>One machine's C-state limit, decided: the boot-argument plan (null without a boot loader) and the cpuidle writes.</summary>
internal sealed class CStateLimitPlan : IChangePlan
{
    public required string ComputerName { get; init; }

    public required CStateLimitRequest Request { get; init; }

    public required CpuIdle Idle { get; init; }

    public required bool InvariantTsc { get; init; }

    public required BootFacts Facts { get; init; }

    /// <summary>Null on a machine without a boot loader, where only the running kernel is changed.</summary>
    public BootArgumentPlan? Boot { get; init; }

    public required ChangePlan Changes { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string Target => ComputerName;

    public string Action => Request.MaxCState is { } max ? $"Limit C-states to {max}" : "Remove the C-state limit";

    public bool IsChange => !Changes.IsEmpty;

    public bool RestartRequired => false;

    public bool RebootRequired => Changes.Files.Count > 0 || Changes.Commands.Count > 0;

    public string Describe() => Changes.Describe();
}
