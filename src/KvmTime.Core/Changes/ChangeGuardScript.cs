using System.Globalization;
using System.Text;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// The start of the detached change script: its status notes, the lock that keeps a second change
/// off the target, the traps that roll back on TERM/HUP/INT and on every exit before the commit,
/// and the recovery of a change that was killed outright (its rollback journal is replayed, and a
/// run whose channel died before relaying its result is reported).
/// </summary>
internal static class ChangeGuardScript
{
    /// <summary>The rollback journal (a sh script) and the cleanup script, one of which exists until a change is done.</summary>
    public const string Journal = "$K/journal";

    public const string Cleanup = "$K/cleanup";

    public static void Append(StringBuilder s, string stateDirectory, string nonce)
    {
        s.Append("PATH=\"$PATH:/usr/sbin:/sbin\"; export PATH\ntrap '' PIPE\numask 022\ncd / || exit 1\n");
        s.Append("K=").Append(ShellQuote.Single(stateDirectory)).Append("; R=").Append(ShellQuote.Single(DetachedRun.RunPath(stateDirectory, nonce))).Append('\n');
        s.Append("J=\"").Append(Journal).Append("\"; C=\"").Append(Cleanup).Append("\"; M=").Append(ShellQuote.Single(PreviousChanges.Marker(nonce))).Append('\n');
        s.Append("rm -f \"$R.sh\"\n");
        s.Append(DetachedRun.ProcessCheck);
        s.Append(Helpers);
        s.Append(Code(Lock));
        s.Append(Code(Exit));
        s.Append(Code(Recover));
        s.Append("note \"pid $$ $(starttime $$)\"\nnote \"started $(date -u +%Y-%m-%dT%H:%M:%SZ)\"\nstep starting\n");
        s.Append("trap on_signal HUP INT TERM\ntrap on_exit EXIT\n");
        s.Append(Code("lock; case $? in 0) ;; 1) fail @InProgress 'another KvmTime change is running on this machine' ;; *) fail @State \"cannot take the change lock in $K\" ;; esac\n"));
        s.Append("note locked\nrecover\n");
    }

    private static string Code(string text) => text
        .Replace("@InProgress", ApplyScript.ChangeInProgress.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@Interrupted", ApplyScript.Interrupted.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@RollbackFailed", ApplyScript.RollbackFailed.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@State", ApplyScript.StateUnavailable.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private const string Helpers =
        "note() { printf '%s\\n' \"$*\" >> \"$R.status\"; }\n" +
        "step() { phase=$1; note \"phase $1\"; }\n" +
        "fail() { code=$1; shift; printf 'kvmtime: %s\\n' \"$*\" >&2; exit \"$code\"; }\n" +
        "same() { printf '%s' \"$1\" | cmp -s - \"$2\"; }\n" +
        // Issue 12: fsync the file (coreutils and busybox sync FILE, busybox fsync), syncfs for a directory; else a full sync.
        "flush() { sync \"$1\" 2>/dev/null || fsync \"$1\" 2>/dev/null || sync; }\n" +
        "flushdir() { sync -f \"$1\" 2>/dev/null || fsync \"$1\" 2>/dev/null || sync; }\n" +
        "held=; d=; phase=\n";

    // flock where it exists (released by the kernel however the script ends); else a lock directory whose
    // owner file names a pid and its start time, taken over (under a second mkdir) once that process is gone.
    private const string Lock =
        "lock() {\n" +
        "  if command -v flock >/dev/null 2>&1; then\n" +
        "    exec 9>>\"$K/lock\" || return 2\n" +
        "    flock -n 9 || return 1\n" +
        "    held=flock; return 0\n" +
        "  fi\n" +
        "  me=\"$$ $(starttime $$)\"\n" +
        "  if mkdir \"$K/lock.d\" 2>/dev/null; then printf '%s\\n' \"$me\" > \"$K/lock.d/owner\" || return 2; held=dir; return 0; fi\n" +
        "  [ -d \"$K/lock.d\" ] || return 2\n" +
        "  owner=$(cat \"$K/lock.d/owner\" 2>/dev/null)\n" +
        "  [ -n \"$owner\" ] || { sleep 1; owner=$(cat \"$K/lock.d/owner\" 2>/dev/null); }\n" +
        "  [ -n \"$owner\" ] && alive $owner && return 1\n" +
        "  mkdir \"$K/lock.d/takeover\" 2>/dev/null || return 1\n" +
        "  [ \"$(cat \"$K/lock.d/owner\" 2>/dev/null)\" = \"$owner\" ] || { rmdir \"$K/lock.d/takeover\"; return 1; }\n" +
        "  printf '%s\\n' \"$me\" > \"$K/lock.d/owner.new\" && mv -f \"$K/lock.d/owner.new\" \"$K/lock.d/owner\" || { rmdir \"$K/lock.d/takeover\"; return 2; }\n" +
        "  rmdir \"$K/lock.d/takeover\"; held=dir\n" +
        "  printf '%s stale-lock\\t%s\\n' \"$M\" \"${owner%% *}\"\n" +
        "}\n" +
        "unlock() {\n" +
        "  case $held in flock) exec 9>&- ;; dir) rm -rf \"$K/lock.d\" ;; esac\n" +
        "  held=\n" +
        "}\n";

    // Before the commit the journal exists, so any exit (a failure, or TERM/HUP/INT) restores every file.
    private const string Exit =
        "on_signal() { printf 'kvmtime: stopped by a signal while %s\\n' \"$phase\" >&2; exit @Interrupted; }\n" +
        "on_exit() {\n" +
        "  rc=$?\n" +
        "  trap '' HUP INT TERM\n" +
        "  [ -z \"$d\" ] || rm -rf \"$d\"\n" +
        "  if [ -n \"$held\" ] && [ -e \"$J\" ]; then\n" +
        "    if err=$(sh \"$J\" 2>&1); then\n" +
        "      rm -f \"$J\" \"$C\"; flushdir \"$K\"\n" +
        "      printf 'kvmtime: every file this change had touched was restored\\n' >&2\n" +
        "    else\n" +
        "      rc=@RollbackFailed; printf 'kvmtime: restoring the files failed (%s); the journal %s is kept and the next change retries it\\n' \"$err\" \"$J\" >&2\n" +
        "    fi\n" +
        "  fi\n" +
        "  rm -f \"$J.part\" \"$C.part\"\n" +
        "  if [ -n \"$held\" ] && [ ! -e \"$J\" ] && [ -e \"$C\" ]; then sh \"$C\"; rm -f \"$C\"; fi\n" +
        "  unlock\n" +
        "  note \"exit $rc\"\n" +
        "  exit \"$rc\"\n" +
        "}\n";

    // Under the lock: any other run that still has a status file and no live waiter lost its channel
    // before relaying; report it once. A journal left behind means a run was killed before its commit.
    private const string Recover =
        "recover() {\n" +
        "  for s in \"$K\"/run-*.status; do\n" +
        "    [ -e \"$s\" ] && [ \"$s\" != \"$R.status\" ] || continue\n" +
        "    w=$(sed -n 's/^waiter //p' \"$s\"); c=$(sed -n 's/^pid //p' \"$s\")\n" +
        "    if [ -n \"$w\" ] && alive $w; then continue; fi\n" +
        "    if [ -n \"$c\" ] && ! grep -q '^exit ' \"$s\" && alive $c; then continue; fi\n" +
        "    r=${s%.status}\n" +
        "    printf '%s previous\\t%s\\t%s\\t%s\\t%s\\n' \"$M\" \"$(sed -n 's/^started //p' \"$s\")\" \"$(sed -n 's/^exit //p' \"$s\")\" \"$(sed -n 's/^phase //p' \"$s\" | tail -n 1)\" \"$(grep '^kvmtime: ' \"$r.err\" 2>/dev/null | tr '\\t' ' ' | tr '\\n' ' ')\"\n" +
        "    rm -f \"$r.sh\" \"$r.out\" \"$r.err\" \"$s\"\n" +
        "  done\n" +
        "  rm -f \"$J.part\" \"$C.part\"\n" +
        "  if [ -e \"$J\" ]; then\n" +
        "    err=$(sh \"$J\" 2>&1) || fail @RollbackFailed \"could not roll back the change that was interrupted earlier ($err); the journal $J is kept\"\n" +
        "    rm -f \"$J\" \"$C\"; flushdir \"$K\"\n" +
        "    printf '%s rolled-back\\n' \"$M\"\n" +
        "  elif [ -e \"$C\" ]; then\n" +
        "    sh \"$C\"; rm -f \"$C\"\n" +
        "  fi\n" +
        "}\n";
}
