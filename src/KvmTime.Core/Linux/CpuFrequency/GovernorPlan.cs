using KvmTime.Changes;
using KvmTime.Model;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>One machine's governor change, decided: the scaling_governor writes and the boot-time part, as data.</summary>
internal sealed class GovernorPlan : IChangePlan
{
    public required string ComputerName { get; init; }

    public required GovernorRequest Request { get; init; }

    public required CpuFrequencyPolicy Before { get; init; }

    public required bool InvariantTsc { get; init; }

    /// <summary>Null without -Persistent.</summary>
    public GovernorPersistencePlan? Persistence { get; init; }

    public required ChangePlan Changes { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string Target => ComputerName;

    public string Action => $"Set the CPU frequency governor to {Request.Governor}{(Request.Persistent ? " (now and at every boot)" : " (until reboot)")}";

    public bool IsChange => !Changes.IsEmpty;

    public bool RestartRequired => false;

    public bool RebootRequired => false;

    public string Describe() => Changes.Describe();
}
