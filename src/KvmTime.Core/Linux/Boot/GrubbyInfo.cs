namespace KvmTime.Linux.Boot;

/// <summary>One boot entry as grubby --info prints it.</summary>
internal sealed record GrubbyEntry(string Kernel, string Arguments);

/// <summary>Parses grubby --info output: blocks of key=value lines (index=, kernel=, args="...").</summary>
internal static class GrubbyInfo
{
    public static IReadOnlyList<GrubbyEntry> Parse(string info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var entries = new List<GrubbyEntry>();
        string? kernel = null;
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith("kernel=", StringComparison.Ordinal))
            {
                kernel = Unquote(line["kernel=".Length..]);
            }
            else if (line.StartsWith("args=", StringComparison.Ordinal) && kernel is not null)
            {
                entries.Add(new GrubbyEntry(kernel, Unquote(line["args=".Length..])));
                kernel = null;
            }
        }

        return entries;
    }

    private static string Unquote(string value)
    {
        var v = value.TrimEnd('\r');
        return v.Length >= 2 && v[0] == '"' && v[^1] == '"' ? v[1..^1] : v;
    }
}
