namespace KvmTime.Model;

/// <summary>One boot configuration file a change rewrote, and the backup of what it held.</summary>
public sealed class ChangedFile
{
    public required string Path { get; init; }

    /// <summary>The timestamped copy made with cp -p before the change; null for a file the change created.</summary>
    public string? BackupPath { get; init; }

    /// <summary>The unified diff of the change.</summary>
    public required string Diff { get; init; }

    public override string ToString() => Path;
}

/// <summary>What a change did (or, with -WhatIf, would do) to the persistent kernel arguments.</summary>
public sealed class PersistentArgumentChange
{
    /// <summary>SystemdBoot, Grubby, UpdateGrub, UpdateBootloader or GrubMkconfig.</summary>
    public required string BootLoader { get; init; }

    public required IReadOnlyList<string> ArgumentsAdded { get; init; }

    public required IReadOnlyList<string> ArgumentsRemoved { get; init; }

    public required IReadOnlyList<ChangedFile> ChangedFiles { get; init; }

    /// <summary>The commands run after the files were written (regenerate grub.cfg, grubby).</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>The timing arguments the next boot gets, read back from the boot loader after the change.</summary>
    public required IReadOnlyList<string> NextBootArguments { get; init; }
}
