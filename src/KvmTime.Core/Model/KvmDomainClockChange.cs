namespace KvmTime.Model;

/// <summary>What Set-KvmDomainClock did (or, with -WhatIf, would do) to one domain.</summary>
public sealed class KvmDomainClockChange
{
    public required string ComputerName { get; init; }

    public required string Domain { get; init; }

    /// <summary>True when the definition was changed; false when it already was as asked (nothing was written).</summary>
    public required bool Changed { get; init; }

    /// <summary>False when the change was only shown (-WhatIf).</summary>
    public bool Applied { get; init; } = true;

    /// <summary>True when the guest must be shut down and started again (not rebooted from inside) to get the new clock.</summary>
    public required bool RestartRequired { get; init; }

    /// <summary>One line per setting that changed, e.g. "timer hpet: present (default) -> no".</summary>
    public required IReadOnlyList<string> Changes { get; init; }

    /// <summary>What the change did beyond the settings asked for, e.g. a timer a preset removed or kept.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The unified diff of the domain XML: old definition against the new one.</summary>
    public required string Diff { get; init; }

    /// <summary>The file on the host holding the old XML; null when nothing was changed.</summary>
    public string? BackupPath { get; init; }

    /// <summary>The clock as re-read from libvirt after the change.</summary>
    public required KvmDomainClock Clock { get; init; }

    public override string ToString() => $"{ComputerName}/{Domain}: {(Changed ? "changed" : "unchanged")}{(RestartRequired ? ", restart required" : string.Empty)}";
}
