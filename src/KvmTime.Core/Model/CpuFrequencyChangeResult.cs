namespace KvmTime.Model;

/// <summary>The outcome of Set-CpuFrequencyPolicy on one machine.</summary>
public sealed class CpuFrequencyChangeResult
{
    public required string ComputerName { get; init; }

    /// <summary>The governor asked for.</summary>
    public required string Governor { get; init; }

    /// <summary>The governors in use before, each once.</summary>
    public required IReadOnlyList<string> PreviousGovernors { get; init; }

    /// <summary>The governors in use now (read back after applying), each once.</summary>
    public required IReadOnlyList<string> Governors { get; init; }

    /// <summary>The CPUs whose scaling_governor was (or, under -WhatIf, would be) written.</summary>
    public required IReadOnlyList<int> CpusChanged { get; init; }

    /// <summary>How the governor is kept across boots; null without -Persistent.</summary>
    public GovernorPersistenceMethod? PersistenceMethod { get; init; }

    /// <summary>The configuration file the boot-time service reads; null without -Persistent.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Where the previous configuration was saved; null when it was not rewritten or did not exist.</summary>
    public string? BackupPath { get; init; }

    /// <summary>The service that sets the governor at boot (cpupower.service, cpufrequtils).</summary>
    public string? Service { get; init; }

    /// <summary>True when the service is enabled (after applying); null without -Persistent.</summary>
    public bool? ServiceEnabled { get; init; }

    /// <summary>True when the TSC is invariant (constant_tsc and nonstop_tsc): the governor does not matter for timekeeping.</summary>
    public required bool InvariantTsc { get; init; }

    public required bool Changed { get; init; }

    public required bool Applied { get; init; }

    public override string ToString() => $"{ComputerName}: governor {string.Join(",", Governors)}{(PersistenceMethod is { } m ? $", at boot via {m}" : string.Empty)}";
}
