using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>The error ID, category and next step for each exit code of the apply script.</summary>
internal static class ChangeFailures
{
    public static (string Id, FailureKind Kind, string Next) Describe(int exitCode) => exitCode switch
    {
        ApplyScript.ChangedSinceRead => (ErrorIds.BootConfigChangedConcurrently, FailureKind.InvalidOperation, Messages.BootConfigChangedConcurrentlyNext),
        ApplyScript.WriteFailed => (ErrorIds.BootConfigWriteFailed, FailureKind.PermissionDenied, Messages.BootConfigWriteFailedNext),
        ApplyScript.VerifyFailed => (ErrorIds.BootConfigVerifyFailed, FailureKind.InvalidData, Messages.BootConfigVerifyFailedNext),
        ApplyScript.CommandFailed => (ErrorIds.BootConfigRegenerateFailed, FailureKind.InvalidOperation, Messages.BootConfigRegenerateFailedNext),
        ApplyScript.SysfsWriteFailed => (ErrorIds.SysfsWriteFailed, FailureKind.PermissionDenied, Messages.SysfsWriteFailedNext),
        ApplyScript.NotShell => (ErrorIds.BootConfigNotShell, FailureKind.InvalidData, Messages.BootConfigNotShellNext),
        ApplyScript.ShellCheckFailed => (ErrorIds.BootConfigVerificationFailed, FailureKind.InvalidData, Messages.BootConfigVerificationFailedNext),
        ApplyScript.ChangeInProgress => (ErrorIds.ChangeInProgress, FailureKind.ResourceUnavailable, string.Format(CultureInfo.InvariantCulture, Messages.ChangeInProgressNext, ApplyScript.StateDirectory)),
        ApplyScript.Interrupted => (ErrorIds.ChangeInterrupted, FailureKind.InvalidOperation, Messages.ChangeInterruptedNext),
        ApplyScript.Vanished => (ErrorIds.ChangeKilled, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.ChangeKilledNext, ApplyScript.StateDirectory)),
        ApplyScript.StateUnavailable => (ErrorIds.ChangeStateUnavailable, FailureKind.PermissionDenied, string.Format(CultureInfo.InvariantCulture, Messages.ChangeStateUnavailableNext, ApplyScript.StateDirectory)),
        ApplyScript.RollbackFailed => (ErrorIds.ChangeRollbackFailed, FailureKind.InvalidData, Messages.ChangeRollbackFailedNext),
        _ => (ErrorIds.ApplyScriptFailed, FailureKind.NotSpecified, Messages.ApplyScriptFailedNext),
    };
}
