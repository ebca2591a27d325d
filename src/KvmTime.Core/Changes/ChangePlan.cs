namespace KvmTime.Changes;

/// <summary>One file the plan rewrites: what it holds now (null: it does not exist yet), what it will hold, and where the backup goes.</summary>
internal sealed record PlannedFile(string Path, string? OldContent, string NewContent, string? BackupPath)
{
    /// <summary>When set, the target's sh checks the new content before anything is written.</summary>
    public ShellCheck? ShellCheck { get; init; }
}

/// <summary>One value written into a sysfs file (a runtime change; nothing to back up).</summary>
internal sealed record SysfsWrite(string Path, string Value);

/// <summary>
/// Everything one target will be changed by, decided before anything is touched: the exact new file
/// contents, the commands that regenerate the boot configuration, and the runtime writes. -WhatIf
/// shows <see cref="Describe"/>; the apply script carries out exactly this and nothing else.
/// </summary>
internal sealed class ChangePlan
{
    public IReadOnlyList<PlannedFile> Files { get; init; } = [];

    /// <summary>Commands run after the files are in place; a failure restores the files from their backups.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Files the commands rewrite (grub.cfg): copied before they run, put back when the change is rolled back.</summary>
    public IReadOnlyList<string> GeneratedFiles { get; init; } = [];

    public IReadOnlyList<SysfsWrite> SysfsWrites { get; init; } = [];

    public bool IsEmpty => Files.Count == 0 && Commands.Count == 0 && SysfsWrites.Count == 0;

    /// <summary>The exact change, as a unified diff per file, then the commands and writes, in the order they run.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        foreach (var file in Files)
        {
            text.Append(UnifiedDiff.Create(file.Path, file.OldContent, file.NewContent));
            if (file.BackupPath is not null)
            {
                text.Append("# backup: ").Append(file.BackupPath).Append('\n');
            }
        }

        foreach (var command in Commands)
        {
            text.Append("# run: ").Append(command).Append('\n');
        }

        foreach (var write in SysfsWrites)
        {
            text.Append("# write: ").Append(write.Value).Append(" > ").Append(write.Path).Append('\n');
        }

        return text.ToString();
    }
}
