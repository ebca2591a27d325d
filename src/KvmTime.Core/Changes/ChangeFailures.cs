using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>The error ID, category and next step for each exit code of the apply script.</summary>
internal static class ChangeFailures
{
    public static (string Id, FailureKind Kind, string Next) Describe(int exitCode) => exitCode switch
    {
        ApplyScript.ChangedSinceRead => (ErrorIds.BootConfigChangedConcurrently, FailureKind.InvalidOperation, "Something else changed it while KvmTime was planning; run the command again. Nothing was changed."),
        ApplyScript.WriteFailed => (ErrorIds.BootConfigWriteFailed, FailureKind.PermissionDenied, "Run as root (or with sudo). The original files are unchanged."),
        ApplyScript.VerifyFailed => (ErrorIds.BootConfigVerifyFailed, FailureKind.InvalidData, "Something else rewrote the file during the change; check it and run again."),
        ApplyScript.CommandFailed => (ErrorIds.BootConfigRegenerateFailed, FailureKind.InvalidOperation, "Fix what the command reports and run again."),
        ApplyScript.SysfsWriteFailed => (ErrorIds.SysfsWriteFailed, FailureKind.PermissionDenied, "Run as root (or with sudo)."),
        ApplyScript.NotShell => (ErrorIds.BootConfigNotShell, FailureKind.InvalidData, "Remove the lines that are not shell (a pasted prompt or command output) and run again. Nothing was changed."),
        ApplyScript.ShellCheckFailed => (ErrorIds.BootConfigVerificationFailed, FailureKind.InvalidData, "The target's sh reads the planned file differently from KvmTime, so nothing was written. Edit the file by hand."),
        ApplyScript.ChangeInProgress => (ErrorIds.ChangeInProgress, FailureKind.ResourceUnavailable, $"Another KvmTime change holds the lock in {ApplyScript.StateDirectory}; run again when it has finished. Nothing was changed."),
        ApplyScript.Interrupted => (ErrorIds.ChangeInterrupted, FailureKind.InvalidOperation, "Run the command again if the change is still wanted."),
        ApplyScript.Vanished => (ErrorIds.ChangeKilled, FailureKind.InvalidOperation, $"Its rollback journal in {ApplyScript.StateDirectory} stays; the next KvmTime change on this machine restores every file it touched before it starts."),
        ApplyScript.StateUnavailable => (ErrorIds.ChangeStateUnavailable, FailureKind.PermissionDenied, $"KvmTime keeps its change lock and journal in {ApplyScript.StateDirectory}; run as root (or with sudo). Nothing was changed."),
        ApplyScript.RollbackFailed => (ErrorIds.ChangeRollbackFailed, FailureKind.InvalidData, "Put the files back from their .kvmtime-* backups by hand; the journal names each one."),
        _ => (ErrorIds.ApplyScriptFailed, FailureKind.NotSpecified, "The change may be incomplete; check the files named above and their .kvmtime-* backups."),
    };
}
