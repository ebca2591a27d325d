using System.Globalization;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// The sh snippet that reads a target's kernel log and keeps only candidate lines (grep -E on the
/// target, so a big log never crosses the wire). Each source's lines follow a marker line
/// "&lt;marker&gt; SOURCE &lt;mtime&gt; &lt;name&gt;"; an unreadable -Path gives "&lt;marker&gt; MISSING &lt;path&gt;".
/// Exit status 3: dmesg is not readable; 4: there is no journalctl.
/// </summary>
internal static class KernelLogScript
{
    public const int DmesgUnreadable = 3;
    public const int JournalMissing = 4;

    /// <summary>The clock facts a target's stamps need, in one go: now, uptime, btime, UTC offset.</summary>
    public const string ClockCommand = "date +%s.%N; cat /proc/uptime; grep '^btime' /proc/stat; date +%z";

    public static string Marker(string nonce) => "@@KVMTIME-LOG:" + nonce;

    public static string Build(ClocksourceEventQuery query, string nonce)
    {
        ArgumentNullException.ThrowIfNull(query);
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"M={ShellQuote.Single(Marker(nonce))}\n");
        script.Append(CultureInfo.InvariantCulture, $"P={ShellQuote.Single(ClocksourceLogFilter.ExtendedRegex)}\n");
        // GNU grep needs -a so a stray NUL does not turn output into "Binary file matches"; busybox grep has no -a.
        script.Append("G=grep; grep -a -e x </dev/null >/dev/null 2>&1; [ $? -eq 1 ] && G='grep -a'\n");
        script.Append(CultureInfo.InvariantCulture, $"journal() {{ command -v journalctl >/dev/null 2>&1 || return {JournalMissing}; printf '%s SOURCE 0 Journal\\n' \"$M\"; journalctl -k -b {Boot(query)} -q --no-pager -o short-iso-precise{TimeRange(query)} 2>/dev/null | $G -E -e \"$P\"; return 0; }}\n");
        script.Append(CultureInfo.InvariantCulture, $"kernelring() {{ dmesg >/dev/null 2>&1 || return {DmesgUnreadable}; printf '%s SOURCE 0 Dmesg\\n' \"$M\"; dmesg 2>/dev/null | $G -E -e \"$P\"; return 0; }}\n");
        // A file's lines before its first candidate (at most the parser's lead-in) pass too: their stamps tell whether it starts inside an older boot.
        script.Append(CultureInfo.InvariantCulture, $"leadin() {{ n=0; l=; while [ $n -lt {ClocksourceEventParser.LeadInLineLimit} ] && {{ IFS= read -r l || [ -n \"$l\" ]; }}; do printf '%s\\n' \"$l\"; case \"$l\" in {CasePattern()}) return 0;; esac; n=$((n+1)); l=; done; }}\n");
        script.Append("files() { strict=$1; shift; for f in \"$@\"; do if [ -f \"$f\" ] && [ -r \"$f\" ]; then printf '%s SOURCE %s %s\\n' \"$M\" \"$(date -r \"$f\" +%s 2>/dev/null || echo 0)\" \"$f\"; ");
        script.Append("case \"$f\" in *.gz) gzip -dc -- \"$f\";; *) cat -- \"$f\";; esac 2>/dev/null | { leadin; $G -E -e \"$P\"; }; elif [ \"$strict\" = 1 ]; then printf '%s MISSING %s\\n' \"$M\" \"$f\"; fi; done; return 0; }\n");
        // Debian writes kernel lines to both kern.log and syslog: read the first family that exists, not all.
        script.Append("syslogfiles() { for b in kern.log messages syslog; do set -- /var/log/$b*; [ -e \"$1\" ] && { files 0 \"$@\"; return 0; }; done; return 1; }\n");

        if (query.Paths.Count > 0)
        {
            script.Append("files 1");
            foreach (var path in query.Paths)
            {
                script.Append(' ').Append(ShellQuote.Single(ValidPath(path)));
            }

            script.Append('\n');
            return script.ToString();
        }

        script.Append(query.Source switch
        {
            KernelLogSource.Journal => "journal\n",
            KernelLogSource.Dmesg => "kernelring\n",
            KernelLogSource.Syslog => "syslogfiles || true\n",
            _ when query.Boot is not null => "journal\n",
            _ => "if command -v journalctl >/dev/null 2>&1 && [ -n \"$(journalctl -k -b 0 -q --no-pager -n 1 2>/dev/null)\" ]; then journal; else syslogfiles || kernelring; fi\n",
        });
        return script.ToString();
    }

    /// <summary>The filter's keywords as one sh case pattern: *'tsc'*|*'TSC'*|...</summary>
    private static string CasePattern() => string.Join('|', ClocksourceLogFilter.Keywords.Select(k => "*" + ShellQuote.Single(k) + "*"));

    private static string Boot(ClocksourceEventQuery query) => (query.Boot ?? 0).ToString(CultureInfo.InvariantCulture);

    // journalctl takes "@<epoch seconds>", so the time filter runs on the target too.
    private static string TimeRange(ClocksourceEventQuery query) =>
        (query.SinceUtc is { } since ? " --since=@" + Epoch(since) : string.Empty) +
        (query.UntilUtc is { } until ? " --until=@" + (Epoch(until) + 1) : string.Empty);

    private static long Epoch(DateTime utc) => (long)Math.Floor((utc - DateTime.UnixEpoch).TotalSeconds);

    private static string ValidPath(string path)
    {
        if (path.Length == 0 || path.Contains('\n', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new KvmTimeException(ErrorIds.KernelLogPathInvalid, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathInvalid, path.ReplaceLineEndings(" ")));
        }

        return path;
    }
}
