namespace KvmTime.Model;

/// <summary>The outcome of Set-KernelCStateLimit on one machine.</summary>
public sealed class CStateLimitResult
{
    public required string ComputerName { get; init; }

    /// <summary>The limit set; null with -Remove.</summary>
    public int? MaxCState { get; init; }

    /// <summary>The cpuidle driver in use: intel_idle, acpi_idle, haltpoll or none.</summary>
    public required string IdleDriver { get; init; }

    /// <summary>Idle states (cpuN/stateM name) disabled at runtime by this change.</summary>
    public required IReadOnlyList<string> StatesDisabled { get; init; }

    /// <summary>Idle states enabled again at runtime by -Remove.</summary>
    public required IReadOnlyList<string> StatesEnabled { get; init; }

    /// <summary>True when the TSC is invariant, so the limit is probably unnecessary.</summary>
    public required bool InvariantTsc { get; init; }

    /// <summary>The boot-argument part; null on a machine without a boot loader, where only the running kernel changed.</summary>
    public PersistentArgumentChange? Persistent { get; init; }

    public required bool Changed { get; init; }

    public required bool Applied { get; init; }

    public required bool RebootRequired { get; init; }

    public override string ToString() => $"{ComputerName}: max_cstate={MaxCState?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}";
}
