using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>One Linux machine's clocksource change, decided: the runtime sysfs write and the boot-argument plan, as data.</summary>
internal sealed class ClocksourcePlan : IChangePlan
{
    public required string ComputerName { get; init; }

    public required ClocksourceRequest Request { get; init; }

    public required ClocksourceInfo Before { get; init; }

    /// <summary>The boot facts read before; null for a runtime-only change.</summary>
    public BootFacts? Facts { get; init; }

    public BootArgumentPlan? Boot { get; init; }

    public required ChangePlan Changes { get; init; }

    public string Target => ComputerName;

    public string Action => Request.Clocksource is { } name ? $"Set the clocksource to {name} ({Request.Scope})" : "Remove clocksource boot arguments";

    public bool IsChange => !Changes.IsEmpty;

    public bool RestartRequired => false;

    public bool RebootRequired => Boot is not null && (Changes.Files.Count > 0 || Changes.Commands.Count > 0);

    public IReadOnlyList<string> Warnings => [];

    public string Describe() => Changes.Describe();
}
