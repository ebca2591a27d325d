using System.Globalization;
using System.Text;

namespace KvmTime.Changes;

/// <summary>
/// A unified diff (as diff -u prints it, three lines of context) between two versions of a small
/// text file. The lines both versions share at the start and the end are set aside first; when what
/// is left is too big to compare line by line within <see cref="MaxCells"/>, the diff says only
/// "file replaced (N lines)", so time and memory stay bounded whatever the files hold.
/// </summary>
internal static class UnifiedDiff
{
    /// <summary>The largest comparison table (changed old lines times changed new lines): 4 MB.</summary>
    public const long MaxCells = 1_000_000;

    private const int Context = 3;

    public static string Create(string path, string? oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(newText);
        var a = Lines(oldText ?? string.Empty);
        var b = Lines(newText);
        var diff = new StringBuilder();
        diff.Append("--- ").Append(oldText is null ? "/dev/null" : "a" + path).Append('\n');
        diff.Append("+++ b").Append(path).Append('\n');
        var ops = Script(a, b);
        if (ops is null)
        {
            return diff.Append(CultureInfo.InvariantCulture, $"file replaced ({b.Count} lines)\n").ToString();
        }

        foreach (var hunk in Hunks(ops))
        {
            AppendHunk(diff, ops, hunk.Start, hunk.End);
        }

        return diff.ToString();
    }

    // Lines keep their terminator, so a missing final newline shows as a change.
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return lines;
    }

    private readonly record struct Op(char Kind, string Line, int OldLine, int NewLine);

    // Longest common subsequence over the lines between the shared head and tail; null when that
    // table would exceed MaxCells.
    private static List<Op>? Script(List<string> a, List<string> b)
    {
        var head = 0;
        while (head < a.Count && head < b.Count && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Count - head && tail < b.Count - head && a[a.Count - 1 - tail] == b[b.Count - 1 - tail])
        {
            tail++;
        }

        int aEnd = a.Count - tail, bEnd = b.Count - tail;
        if ((long)(aEnd - head) * (bEnd - head) > MaxCells)
        {
            return null;
        }

        var lcs = new int[aEnd - head + 1, bEnd - head + 1];
        for (var i = aEnd - 1; i >= head; i--)
        {
            for (var j = bEnd - 1; j >= head; j--)
            {
                lcs[i - head, j - head] = a[i] == b[j] ? lcs[i - head + 1, j - head + 1] + 1 : Math.Max(lcs[i - head + 1, j - head], lcs[i - head, j - head + 1]);
            }
        }

        var ops = new List<Op>();
        int x = 0, y = 0;
        while (x < head)
        {
            ops.Add(new Op(' ', a[x], x++, y++));
        }

        while (x < aEnd || y < bEnd)
        {
            if (x < aEnd && y < bEnd && a[x] == b[y])
            {
                ops.Add(new Op(' ', a[x], x++, y++));
            }
            else if (x < aEnd && (y == bEnd || lcs[x - head + 1, y - head] >= lcs[x - head, y - head + 1]))
            {
                // Removed lines before added ones, as diff -u prints a changed line.
                ops.Add(new Op('-', a[x], x++, y));
            }
            else
            {
                ops.Add(new Op('+', b[y], x, y++));
            }
        }

        while (x < a.Count)
        {
            ops.Add(new Op(' ', a[x], x++, y++));
        }

        return ops;
    }

    private static IEnumerable<(int Start, int End)> Hunks(List<Op> ops)
    {
        var changed = ops.Select((op, i) => (op, i)).Where(t => t.op.Kind != ' ').Select(t => t.i).ToList();
        var k = 0;
        while (k < changed.Count)
        {
            var start = Math.Max(0, changed[k] - Context);
            var end = changed[k];
            while (k < changed.Count && changed[k] - end <= 2 * Context)
            {
                end = changed[k++];
            }

            yield return (start, Math.Min(ops.Count, end + Context + 1));
        }
    }

    private static void AppendHunk(StringBuilder diff, List<Op> ops, int start, int end)
    {
        var slice = ops.GetRange(start, end - start);
        var oldCount = slice.Count(o => o.Kind != '+');
        var newCount = slice.Count(o => o.Kind != '-');
        var oldStart = oldCount == 0 ? slice[0].OldLine : slice.First(o => o.Kind != '+').OldLine + 1;
        var newStart = newCount == 0 ? slice[0].NewLine : slice.First(o => o.Kind != '-').NewLine + 1;
        diff.Append(CultureInfo.InvariantCulture, $"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
        foreach (var op in slice)
        {
            diff.Append(op.Kind).Append(op.Line.TrimEnd('\n'));
            diff.Append(op.Line.EndsWith('\n') ? "\n" : "\n\\ No newline at end of file\n");
        }
    }
}
