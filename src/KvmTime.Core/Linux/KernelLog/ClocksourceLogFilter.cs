using System.Text;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// The cheap first pass over a kernel log: a line can only be a clocksource message if it holds
/// one of these literals. The same list becomes the grep -E pattern a remote target runs, so only
/// candidate lines cross the wire, and the byte matcher the local file reader runs.
/// </summary>
public static class ClocksourceLogFilter
{
    /// <summary>
    /// Every clocksource, watchdog, TSC and kvm-clock message of every generation holds one of these
    /// ("locksource" covers both "clocksource" and "Clocksource"; "_now: " the 4.x wd/cs lines;
    /// "read-back" the skip line that names no watchdog; "MHz processor" the unprefixed 2.6 calibration).
    /// </summary>
    public static readonly IReadOnlyList<string> Keywords =
    [
        "locksource", "kvm-clock", "kvmclock", "sched_clock", "tsc", "TSC", "atchdog", "_now: ", "(cycles)", "read-back", "MHz processor",
    ];

    private static readonly byte[][] KeywordBytes = Keywords.Select(Encoding.ASCII.GetBytes).ToArray();

    /// <summary>The same keywords as one POSIX extended regular expression for grep -E.</summary>
    public static string ExtendedRegex { get; } = string.Join('|', Keywords.Select(EscapeExtended));

    public static bool IsCandidate(ReadOnlySpan<char> line)
    {
        foreach (var keyword in Keywords)
        {
            if (line.Contains(keyword, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Finds the candidate lines of a buffer of whole lines: each keyword is searched over the
    /// whole buffer (a vectorised scan), and each hit is widened to its line. Lines are reported
    /// once, in order, as (start, length) without the newline.
    /// </summary>
    public static void FindCandidateLines(ReadOnlySpan<byte> buffer, List<(int Start, int Length)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var firstNew = lines.Count;
        foreach (var keyword in KeywordBytes)
        {
            var from = 0;
            while (from < buffer.Length)
            {
                var hit = buffer[from..].IndexOf(keyword);
                if (hit < 0)
                {
                    break;
                }

                hit += from;
                var start = buffer[..hit].LastIndexOf((byte)'\n') + 1;
                var end = buffer[hit..].IndexOf((byte)'\n');
                end = end < 0 ? buffer.Length : hit + end;
                lines.Add((start, end - start));
                from = end + 1;
            }
        }

        if (lines.Count - firstNew > 1)
        {
            var found = lines.GetRange(firstNew, lines.Count - firstNew).Distinct().OrderBy(l => l.Start).ToList();
            lines.RemoveRange(firstNew, lines.Count - firstNew);
            lines.AddRange(found);
        }
    }

    private static string EscapeExtended(string literal)
    {
        var escaped = new StringBuilder(literal.Length + 4);
        foreach (var c in literal)
        {
            if ("\\.[]()*+?{}|^$".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
