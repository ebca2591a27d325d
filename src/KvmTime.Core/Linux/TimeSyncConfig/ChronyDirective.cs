namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>One directive line of a chrony configuration file: its line index, its name (lower case) and its arguments.</summary>
internal sealed record ChronyDirective(int Line, string Name, IReadOnlyList<string> Args)
{
    /// <summary>
    /// The directives of a chrony.conf text. Comment lines start, after optional blanks, with one of
    /// '!', ';', '#', '%' (chrony.conf(5)); directive names are not case-sensitive.
    /// </summary>
    public static IReadOnlyList<ChronyDirective> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var directives = new List<ChronyDirective>();
        for (var i = 0; i < lines.Length; i++)
        {
            var words = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0][0] is '!' or ';' or '#' or '%')
            {
                continue;
            }

            directives.Add(new ChronyDirective(i, words[0].ToLowerInvariant(), words[1..]));
        }

        return directives;
    }

    /// <summary>True for the directives that name a time source: server, pool, peer.</summary>
    public bool IsNetworkSource => Name is "server" or "pool" or "peer";

    /// <summary>The device of a "refclock PHC" directive (options after ':' removed), else null.</summary>
    public string? PhcDevice => Name == "refclock" && Args.Count >= 2 && Args[0].Equals("PHC", StringComparison.OrdinalIgnoreCase)
        ? Args[1].Split(':')[0]
        : null;

    public override string ToString() => Args.Count == 0 ? Name : Name + " " + string.Join(' ', Args);
}
