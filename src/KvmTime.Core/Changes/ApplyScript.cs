using System.Globalization;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// Turns a <see cref="ChangePlan"/> into one POSIX sh script (dash, bash, busybox ash) that carries it
/// out on the target in a single round trip, then re-reads what the caller asks for. On the channel
/// the script only starts the change detached from it (<see cref="DetachedRun"/>) and relays the
/// result, so a dropped connection cannot stop it halfway. The change itself:
/// <list type="number">
/// <item>takes the change lock (flock, or a lock directory) and replays what a killed earlier change left behind;</item>
/// <item>every file must still hold what the plan was made from (else nothing is written);</item>
/// <item>writes and flushes its rollback journal; from here on any exit or TERM/HUP/INT restores every file, grub.cfg included;</item>
/// <item>each file is backed up with cp -p, written to a temp file in its own directory, flushed, moved into place, and its directory flushed;</item>
/// <item>grub.cfg is copied, the commands run, each file is compared with the planned content again;</item>
/// <item>commit: the journal is deleted; then the sysfs writes are made and the verification request is gathered.</item>
/// </list>
/// State lives in <see cref="StateDirectory"/>. Every value in the script is quoted with <see cref="ShellQuote.Single"/>.
/// </summary>
internal static class ApplyScript
{
    /// <summary>
    /// Where the lock, the rollback journal and each run's script, output and status live (root only).
    /// Persistent, so a journal left by a change killed by a power cut is still there after the reboot.
    /// </summary>
    public const string StateDirectory = "/var/lib/kvmtime";

    /// <summary>Exit codes of the script, each mapped to its own error.</summary>
    public const int ChangedSinceRead = 10;
    public const int WriteFailed = 11;
    public const int VerifyFailed = 12;
    public const int CommandFailed = 13;
    public const int SysfsWriteFailed = 14;
    public const int NotShell = 15;
    public const int ShellCheckFailed = 16;
    public const int ChangeInProgress = 17;
    public const int Interrupted = 18;
    public const int Vanished = 19;
    public const int StateUnavailable = 20;
    public const int RollbackFailed = 21;

    public static string Build(ChangePlan plan, GatherRequest verify, string nonce, string stateDirectory = StateDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        return DetachedRun.Wrap(Change(plan, verify, nonce, stateDirectory), stateDirectory, nonce);
    }

    private static string Change(ChangePlan plan, GatherRequest verify, string nonce, string stateDirectory)
    {
        var s = new StringBuilder();
        ChangeGuardScript.Append(s, stateDirectory, nonce);
        s.Append("step checking\n");
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

        if (plan.Files.Count > 0 || plan.Commands.Count > 0)
        {
            s.Append("step writing\n");
            RollbackJournal.Append(s, plan, nonce, WriteFailed);
            for (var i = 0; i < plan.Files.Count; i++)
            {
                AppendWrite(s, plan.Files[i], i, nonce);
            }

            s.Append("step regenerating\n");
            AppendRegenerate(s, plan, nonce);
            s.Append("step verifying\n");
            for (var i = 0; i < plan.Files.Count; i++)
            {
                var file = plan.Files[i];
                s.Append(CultureInfo.InvariantCulture, $"same \"$new{i}\" {ShellQuote.Single(file.Path)} || fail {VerifyFailed} {ShellQuote.Single(file.Path + " does not hold the planned content after the change")}\n");
            }

            // The commit: once the journal is gone the change stands; the cleanup only removes temp copies.
            s.Append("step committing\n");
            s.Append(CultureInfo.InvariantCulture, $"rm -f \"$J\" && flushdir \"$K\" || fail {WriteFailed} \"could not delete the rollback journal $J\"\n");
            s.Append("sh \"$C\"; rm -f \"$C\"\nnote committed\n");
        }

        s.Append("step 'writing sysfs'\n");
        foreach (var write in plan.SysfsWrites)
        {
            s.Append(CultureInfo.InvariantCulture, $"printf '%s\\n' {ShellQuote.Single(write.Value)} > {ShellQuote.Single(write.Path)} || fail {SysfsWriteFailed} {ShellQuote.Single("could not write " + write.Value + " to " + write.Path)}\n");
        }

        s.Append("step 'reading back'\n");
        s.Append(LinuxGatherScript.Build(verify, nonce));
        return s.ToString();
    }

    /// <summary>Raises the error that matches a failed script run.</summary>
    public static KvmTimeException Failure(CommandResult result, string computerName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var detail = string.Join("; ", result.StandardError.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var (id, kind, next) = ChangeFailures.Describe(result.ExitCode);
        return new KvmTimeException(id, kind, string.Format(CultureInfo.InvariantCulture, Messages.ChangeScriptFailed, computerName,
            detail.Length > 0 ? detail : string.Format(CultureInfo.InvariantCulture, Messages.ChangeScriptExitCode, result.ExitCode), next))
        { ComputerName = computerName };
    }

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

    // The backup and the new file are each complete and flushed before their rename: a backup that
    // exists is whole, so the journal may move it back at any moment.
    private static void AppendWrite(StringBuilder s, PlannedFile file, int i, string nonce)
    {
        var f = ShellQuote.Single(file.Path);
        var temp = ShellQuote.Single(RollbackJournal.Temp(file, nonce));
        var failed = $"fail {WriteFailed} {ShellQuote.Single("could not write " + file.Path)}";
        if (file.BackupPath is not null)
        {
            var backup = ShellQuote.Single(file.BackupPath);
            var part = ShellQuote.Single(RollbackJournal.BackupPart(file, nonce));
            s.Append(CultureInfo.InvariantCulture, $"cp -p {f} {part} && flush {part} && mv -f {part} {backup} || {failed}\n");
            s.Append(CultureInfo.InvariantCulture, $"cp -p {f} {temp} || {failed}\n");
        }
        else
        {
            s.Append(CultureInfo.InvariantCulture, $"mkdir -p {ShellQuote.Single(RollbackJournal.DirectoryOf(file.Path))} && : > {temp} && chmod 644 {temp} || {failed}\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"printf '%s' \"$new{i}\" > {temp} && same \"$new{i}\" {temp} && flush {temp} && mv -f {temp} {f} && flushdir {ShellQuote.Single(RollbackJournal.DirectoryOf(file.Path))} || {failed}\n");
    }

    // grub.cfg is copied (whole, flushed) before the commands run, so the journal can put it back.
    private static void AppendRegenerate(StringBuilder s, ChangePlan plan, string nonce)
    {
        foreach (var generated in plan.GeneratedFiles)
        {
            var g = ShellQuote.Single(generated);
            var part = ShellQuote.Single(RollbackJournal.CopyPart(generated, nonce));
            s.Append(CultureInfo.InvariantCulture, $"if [ -e {g} ]; then cp -p {g} {part} && flush {part} && mv -f {part} {ShellQuote.Single(RollbackJournal.Copy(generated, nonce))} || fail {WriteFailed} {ShellQuote.Single("could not copy " + generated + " before regenerating it")}; fi\n");
        }

        foreach (var command in plan.Commands)
        {
            s.Append(CultureInfo.InvariantCulture, $"out=$( {{ {command}\n}} 9>&- 2>&1 ) || fail {CommandFailed} {ShellQuote.Single(command + " failed:")} \"$out\"\n");
        }
    }
}
