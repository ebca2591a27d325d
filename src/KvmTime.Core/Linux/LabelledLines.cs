namespace KvmTime.Linux;

/// <summary>Splits "Label : value" or "KEY=value" lines (chronyc tracking, timedatectl) into a dictionary; the last one wins.</summary>
internal static class LabelledLines
{
    public static Dictionary<string, string> Parse(string text, char separator)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0)
            {
                fields[line[..at].Trim()] = line[(at + 1)..].Trim();
            }
        }

        return fields;
    }
}
