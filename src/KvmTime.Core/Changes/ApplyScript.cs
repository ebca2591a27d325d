using System.Globalization;
using System.Text;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// Turns a <see cref="ChangePlan"/> into one POSIX sh script that carries it out on the target in a
/// single round trip, then re-reads what the caller asks for:
/// <list type="number">
/// <item>every file must still hold what the plan was made from (else nothing is written);</item>
/// <item>each file is backed up with cp -p, written to a temp file in its own directory and moved into place (atomic rename);</item>
/// <item>the commands run; if one fails, every file is restored from its backup;</item>
/// <item>each file is compared with the planned content again, then the sysfs writes are made;</item>
/// <item>the verification request is gathered.</item>
/// </list>
/// Hang-ups are ignored so a dropped connection cannot stop the script between the rename and the regenerate.
/// Every value in the script is quoted with <see cref="ShellQuote.Single"/>.
/// </summary>
public static class ApplyScript
{
    /// <summary>Exit codes of the script, each mapped to its own error.</summary>
    public const int ChangedSinceRead = 10;
    public const int WriteFailed = 11;
    public const int VerifyFailed = 12;
    public const int CommandFailed = 13;
    public const int SysfsWriteFailed = 14;
    public const int NotShell = 15;
    public const int ShellCheckFailed = 16;

    public static string Build(ChangePlan plan, GatherRequest verify, string nonce)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = new StringBuilder();
        s.Append("PATH=\"$PATH:/usr/sbin:/sbin\"; export PATH\ntrap '' HUP PIPE\numask 022\n");
        s.Append("same() { printf '%s' \"$1\" | cmp -s - \"$2\"; }\n");
        s.Append("fail() { code=$1; shift; printf 'kvmtime: %s\\n' \"$*\" >&2; exit \"$code\"; }\n");
        s.Append("restore() {\n");
        foreach (var file in plan.Files)
        {
            var f = ShellQuote.Single(file.Path);
            s.Append(file.BackupPath is null
                ? $"  rm -f {f}\n"
                : $"  cp -p {ShellQuote.Single(file.BackupPath)} {Temp(file)} && mv -f {Temp(file)} {f}\n");
        }

        s.Append("  :\n}\n");
        // Each content is spelled out once, in a variable, so the script stays well under the argument size limit.
        for (var i = 0; i < plan.Files.Count; i++)
        {
            var file = plan.Files[i];
            s.Append(CultureInfo.InvariantCulture, $"new{i}={ShellQuote.Single(file.NewContent)}\n");
            if (file.OldContent is not null)
            {
                s.Append(CultureInfo.InvariantCulture, $"old{i}={ShellQuote.Single(file.OldContent)}\n");
            }
        }

        for (var i = 0; i < plan.Files.Count; i++)
        {
            AppendPrecondition(s, plan.Files[i], i);
        }

        for (var i = 0; i < plan.Files.Count; i++)
        {
            ShellCheckScript.Append(s, plan.Files[i], i);
        }

        for (var i = 0; i < plan.Files.Count; i++)
        {
            AppendWrite(s, plan.Files[i], i);
        }

        foreach (var command in plan.Commands)
        {
            s.Append(CultureInfo.InvariantCulture, $"out=$( {command} 2>&1 ) || {{ restore; fail {CommandFailed} {ShellQuote.Single(command + " failed; the files were restored from their backups:")} \"$out\"; }}\n");
        }

        for (var i = 0; i < plan.Files.Count; i++)
        {
            var file = plan.Files[i];
            s.Append(CultureInfo.InvariantCulture, $"same \"$new{i}\" {ShellQuote.Single(file.Path)} || fail {VerifyFailed} {ShellQuote.Single(file.Path + " does not hold the planned content after the change")}\n");
        }

        foreach (var write in plan.SysfsWrites)
        {
            s.Append(CultureInfo.InvariantCulture, $"printf '%s\\n' {ShellQuote.Single(write.Value)} > {ShellQuote.Single(write.Path)} || fail {SysfsWriteFailed} {ShellQuote.Single("could not write " + write.Value + " to " + write.Path)}\n");
        }

        s.Append(LinuxGatherScript.Build(verify, nonce));
        return s.ToString();
    }

    /// <summary>Raises the error that matches a failed script run.</summary>
    public static KvmTimeException Failure(CommandResult result, string computerName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = result.StandardError.Trim();
        var (id, kind, next) = result.ExitCode switch
        {
            ChangedSinceRead => ("BootConfigChangedConcurrently", FailureKind.InvalidOperation, "Something else changed it while KvmTime was planning; run the command again. Nothing was changed."),
            WriteFailed => ("BootConfigWriteFailed", FailureKind.PermissionDenied, "Run as root (or with sudo). The original files are unchanged."),
            VerifyFailed => ("BootConfigVerifyFailed", FailureKind.InvalidData, "Compare the file with its backup (.kvmtime-*) and restore it if needed."),
            CommandFailed => ("BootConfigRegenerateFailed", FailureKind.InvalidOperation, "Fix what the command reports and run again."),
            SysfsWriteFailed => ("SysfsWriteFailed", FailureKind.PermissionDenied, "Run as root (or with sudo)."),
            NotShell => ("BootConfigNotShell", FailureKind.InvalidData, "Remove the lines that are not shell (a pasted prompt or command output) and run again. Nothing was changed."),
            ShellCheckFailed => ("BootConfigVerificationFailed", FailureKind.InvalidData, "The target's sh reads the planned file differently from KvmTime, so nothing was written. Edit the file by hand."),
            _ => ("ApplyScriptFailed", FailureKind.NotSpecified, "The change may be incomplete; check the files named above and their .kvmtime-* backups."),
        };
        return new KvmTimeException(id, kind, string.Create(CultureInfo.InvariantCulture,
            $"{computerName}: {(detail.Length > 0 ? detail : $"the change script exited with {result.ExitCode}")}. {next}"))
        { ComputerName = computerName };
    }

    private static string Temp(PlannedFile file) => ShellQuote.Single(file.Path + ".kvmtime-tmp") + "\"$$\"";

    private static void AppendPrecondition(StringBuilder s, PlannedFile file, int i)
    {
        var f = ShellQuote.Single(file.Path);
        var changed = ShellQuote.Single(file.Path + " changed since it was read");
        s.Append(file.OldContent is null
            ? $"[ -e {f} ] && fail {ChangedSinceRead} {changed}\n"
            : $"same \"$old{i}\" {f} || fail {ChangedSinceRead} {changed}\n");
        if (file.BackupPath is not null)
        {
            s.Append(CultureInfo.InvariantCulture, $"[ -e {ShellQuote.Single(file.BackupPath)} ] && fail {WriteFailed} {ShellQuote.Single("the backup " + file.BackupPath + " already exists")}\n");
        }
    }

    private static void AppendWrite(StringBuilder s, PlannedFile file, int i)
    {
        var f = ShellQuote.Single(file.Path);
        var failed = $"{{ rm -f {Temp(file)}; restore; fail {WriteFailed} {ShellQuote.Single("could not write " + file.Path)}; }}";
        if (file.BackupPath is not null)
        {
            s.Append(CultureInfo.InvariantCulture, $"cp -p {f} {ShellQuote.Single(file.BackupPath)} || {failed}\n");
            s.Append(CultureInfo.InvariantCulture, $"cp -p {f} {Temp(file)} || {failed}\n");
        }
        else
        {
            s.Append(CultureInfo.InvariantCulture, $"mkdir -p \"$(dirname {f})\" && : > {Temp(file)} && chmod 644 {Temp(file)} || {failed}\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"printf '%s' \"$new{i}\" > {Temp(file)} && same \"$new{i}\" {Temp(file)} && mv -f {Temp(file)} {f} || {failed}\n");
    }
}
