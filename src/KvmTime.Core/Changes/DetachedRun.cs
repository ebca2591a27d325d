using System.Text;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// The part of the apply script that runs on the channel: it writes the change script into the state
/// directory, starts it detached from the channel (setsid, else nohup; started from a subshell that
/// exits at once, so it is nobody's child and no process-tree kill reaches it), waits for it and relays
/// its output and exit code. A dropped channel (Ctrl-C, -CommandTimeout) kills only this waiter: the
/// change goes on, and its run files stay for the next change to report.
/// </summary>
internal static class DetachedRun
{
    /// <summary>Run files: RUN.sh (the change), RUN.out, RUN.err and RUN.status (waiter, pid, started, phases, exit).</summary>
    public static string RunPath(string stateDirectory, string nonce) => stateDirectory.TrimEnd('/') + "/run-" + nonce;

    public static string Wrap(string body, string stateDirectory, string nonce)
    {
        var run = RunPath(stateDirectory, nonce);
        var s = new StringBuilder();
        s.Append("PATH=\"$PATH:/usr/sbin:/sbin\"; export PATH\n");
        // A write into a closed channel fails instead of killing the waiter, so the run files are kept for the next change.
        s.Append("trap '' PIPE\numask 077\n");
        s.Append("K=").Append(ShellQuote.Single(stateDirectory)).Append("; R=").Append(ShellQuote.Single(run)).Append('\n');
        s.Append(ProcessCheck);
        s.Append("mkdir -p \"$K\" 2>/dev/null; [ -d \"$K\" ] && [ -w \"$K\" ] || { printf 'kvmtime: cannot write the change state directory %s\\n' \"$K\" >&2; exit ")
            .Append(ApplyScript.StateUnavailable).Append("; }\n");
        s.Append("printf 'waiter %s %s\\n' \"$$\" \"$(starttime $$)\" > \"$R.status\" && printf '%s' ").Append(ShellQuote.Single(body))
            .Append(" > \"$R.sh\" || { rm -f \"$R.sh\" \"$R.status\"; printf 'kvmtime: cannot write the change script into %s\\n' \"$K\" >&2; exit ")
            .Append(ApplyScript.StateUnavailable).Append("; }\n");
        s.Append(Start);
        s.Append(Wait.Replace("@VANISHED@", ApplyScript.Vanished.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@NOSTART@", ApplyScript.StateUnavailable.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        s.Append("printf '%s\\n' ").Append(ShellQuote.Single(RunMarker(nonce)))
            .Append(" && cat \"$R.out\" && cat \"$R.err\" >&2 && rm -f \"$R.sh\" \"$R.out\" \"$R.err\" \"$R.status\"\nexit \"$rc\"\n");
        return s.ToString();
    }

    /// <summary>The first line the waiter relays; a write that fails on a dropped channel, so the run files stay.</summary>
    public static string RunMarker(string nonce) => "@@KVMTIME-RUN:" + nonce;

    /// <summary>starttime PID and alive PID [STARTTIME]: a pid that is reused by another process is not alive.</summary>
    public const string ProcessCheck =
        "starttime() { [ -r \"/proc/$1/stat\" ] && sed 's/.*) //' \"/proc/$1/stat\" | cut -d ' ' -f 20; }\n" +
        "alive() { kill -0 \"$1\" 2>/dev/null || return 1; [ -n \"${2-}\" ] || return 0; t=$(starttime \"$1\"); [ -z \"$t\" ] || [ \"$t\" = \"$2\" ]; }\n";

    private const string Start =
        "if command -v setsid >/dev/null 2>&1; then ( setsid sh \"$R.sh\" </dev/null >\"$R.out\" 2>\"$R.err\" & )\n" +
        "elif command -v nohup >/dev/null 2>&1; then ( nohup sh \"$R.sh\" </dev/null >\"$R.out\" 2>\"$R.err\" & )\n" +
        "else ( trap '' HUP INT; sh \"$R.sh\" </dev/null >\"$R.out\" 2>\"$R.err\" & ); fi\n";

    // The change writes 'pid', then 'exit N' last; a pid that is gone without an exit line was killed (SIGKILL, OOM).
    private const string Wait =
        "tick=0.1; sleep \"$tick\" 2>/dev/null || tick=1\n" +
        "n=0; rc=\n" +
        "while :; do\n" +
        "  last=$(tail -n 1 \"$R.status\" 2>/dev/null)\n" +
        "  case $last in 'exit '*) rc=${last#exit }; break ;; esac\n" +
        "  c=$(sed -n 's/^pid //p' \"$R.status\" 2>/dev/null)\n" +
        "  if [ -n \"$c\" ]; then\n" +
        "    if ! alive $c; then\n" +
        "      last=$(tail -n 1 \"$R.status\" 2>/dev/null)\n" +
        "      case $last in 'exit '*) rc=${last#exit } ;; *) rc=@VANISHED@; printf 'kvmtime: the change was killed while %s, before it could finish or restore the files\\n' \"$(sed -n 's/^phase //p' \"$R.status\" | tail -n 1)\" >> \"$R.err\" ;; esac\n" +
        "      break\n" +
        "    fi\n" +
        "  elif [ $((n += 1)) -gt 600 ]; then rc=@NOSTART@; printf 'kvmtime: the change script did not start\\n' >> \"$R.err\"; break\n" +
        "  fi\n" +
        "  sleep \"$tick\"\n" +
        "done\n";
}
