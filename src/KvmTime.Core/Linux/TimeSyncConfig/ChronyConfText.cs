namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>The texts KvmTime writes into chrony's files: its drop-ins, its marked block, and disabled lines.</summary>
internal static class ChronyConfText
{
    public const string BlockBegin = "# BEGIN KvmTime Set-GuestTimeSync: this block is rewritten by KvmTime";
    public const string BlockEnd = "# END KvmTime Set-GuestTimeSync";
    public const string DisabledMark = "  # disabled by KvmTime Set-GuestTimeSync: ";

    public static string DropIn(IEnumerable<string> lines) =>
        "# Written by KvmTime Set-GuestTimeSync, which rewrites this file; change it with Set-GuestTimeSync.\n" + string.Concat(lines.Select(l => l + "\n"));

    /// <summary>The body of KvmTime's marked block in <paramref name="text"/>, or null when it has none.</summary>
    public static string? BlockBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var begin = Array.IndexOf(lines, BlockBegin);
        var end = begin < 0 ? -1 : Array.IndexOf(lines, BlockEnd, begin);
        return end < 0 ? null : string.Join('\n', lines[(begin + 1)..end]);
    }

    /// <summary>
    /// <paramref name="text"/> with KvmTime's block holding <paramref name="lines"/>: replaced where it
    /// is, or appended at the end (the last occurrence of a chrony directive is the one that counts).
    /// </summary>
    public static string WithBlock(string text, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(text);
        var block = new List<string> { BlockBegin };
        block.AddRange(lines);
        block.Add(BlockEnd);
        var all = text.Split('\n').ToList();
        var begin = all.IndexOf(BlockBegin);
        var end = begin < 0 ? -1 : all.IndexOf(BlockEnd, begin);
        if (end >= 0)
        {
            all.RemoveRange(begin, end - begin + 1);
            all.InsertRange(begin, block);
            return string.Join('\n', all);
        }

        var body = text.Length == 0 || text.EndsWith('\n') ? text : text + "\n";
        return body + string.Join('\n', block) + "\n";
    }

    /// <summary>Comments out the given lines (by index), saying why; the original text stays readable after the '#'.</summary>
    public static string Disable(string text, IReadOnlyDictionary<int, string> reasons)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(reasons);
        var lines = text.Split('\n');
        foreach (var (index, reason) in reasons)
        {
            lines[index] = "#" + lines[index] + DisabledMark + reason;
        }

        return string.Join('\n', lines);
    }
}
