namespace KvmTime.Model;

/// <summary>The outcome of Set-GuestTimeSync on one machine.</summary>
public sealed class GuestTimeSyncChange
{
    public required string ComputerName { get; init; }

    /// <summary>The daemon configured: chronyd, ntpd or W32Time.</summary>
    public required string Daemon { get; init; }

    /// <summary>The directives KvmTime manages after the change.</summary>
    public required IReadOnlyList<string> Settings { get; init; }

    /// <summary>The files that hold them: drop-ins, or the configuration file with KvmTime's block.</summary>
    public required IReadOnlyList<string> ConfigFiles { get; init; }

    /// <summary>Every file this change wrote.</summary>
    public required IReadOnlyList<string> ChangedFiles { get; init; }

    /// <summary>Backups of the files that existed before.</summary>
    public required IReadOnlyList<string> BackupFiles { get; init; }

    /// <summary>The PHC device chronyd reads with -PtpKvm.</summary>
    public string? PhcDevice { get; init; }

    /// <summary>The source the daemon selected after the change, as its status reports it; null under -WhatIf.</summary>
    public string? SelectedSource { get; init; }

    /// <summary>The time sources as the daemon reports them after the change.</summary>
    public IReadOnlyList<TimeSourceInfo> Sources { get; init; } = [];

    public required bool Changed { get; init; }

    public required bool Applied { get; init; }

    public override string ToString() => $"{ComputerName}: {Daemon} {string.Join("; ", Settings)}";
}
