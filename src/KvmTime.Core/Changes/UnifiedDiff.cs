using System.Globalization;
using System.Text;

namespace KvmTime.Changes;

/// <summary>A unified diff (as diff -u prints it, three lines of context) between two versions of a small text file.</summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string path, string? oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(newText);
        var a = Lines(oldText ?? string.Empty);
        var b = Lines(newText);
        var ops = Script(a, b);
        var diff = new StringBuilder();
        diff.Append("--- ").Append(oldText is null ? "/dev/null" : "a" + path).Append('\n');
        diff.Append("+++ b").Append(path).Append('\n');
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

    // Longest common subsequence over lines; boot files are small, so O(n*m) is fine.
    private static List<Op> Script(List<string> a, List<string> b)
    {
        var lcs = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<Op>();
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y])
            {
                ops.Add(new Op(' ', a[x], x++, y++));
            }
            else if (y < b.Count && (x == a.Count || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                ops.Add(new Op('+', b[y], x, y++));
            }
            else
            {
                ops.Add(new Op('-', a[x], x++, y));
            }
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
