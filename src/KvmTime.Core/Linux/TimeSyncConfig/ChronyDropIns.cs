using System.Text.RegularExpressions;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// Where KvmTime's chrony drop-ins go, read from the directives chrony.conf really has: settings into a
/// directory of <c>confdir</c> or a simple <c>include DIR/*.EXT</c>; sources into the first
/// <c>sourcedir</c> under /etc (reloadable without a restart). Null when chrony.conf has no such
/// directive: then KvmTime keeps a marked block in chrony.conf itself.
/// </summary>
internal sealed partial record ChronyDropIns(string? SettingsFile, string? SourcesFile, int? SettingsReadAtLine)
{
    public const string FileStem = "kvmtime";

    public static ChronyDropIns Find(IReadOnlyList<ChronyDirective> directives)
    {
        ArgumentNullException.ThrowIfNull(directives);
        string? settings = null;
        int? line = null;
        foreach (var d in directives)
        {
            if (d.Name == "confdir" && d.Args.Count > 0 && IsAbsolute(d.Args[0]))
            {
                // chrony reads *.conf of each directory; with one name in several, only the first directory's file counts.
                settings = d.Args[0].TrimEnd('/') + "/" + FileStem + ".conf";
                line = d.Line;
                break;
            }

            if (d.Name == "include" && d.Args.Count > 0 && SimpleGlob().Match(d.Args[0]) is { Success: true } m)
            {
                settings = m.Groups["dir"].Value + "/" + FileStem + m.Groups["ext"].Value;
                line = d.Line;
                break;
            }
        }

        var sourceDirectory = directives.FirstOrDefault(d => d.Name == "sourcedir" && d.Args.Count > 0 && d.Args[0].StartsWith("/etc/", StringComparison.Ordinal));
        var sources = sourceDirectory is null ? null : sourceDirectory.Args[0].TrimEnd('/') + "/" + FileStem + ".sources";
        return new ChronyDropIns(settings, sources, line);
    }

    /// <summary>Prints every settings drop-in (confdir *.conf, include globs) of the chrony.conf files given, in chrony's order.</summary>
    public const string SettingsDropInsCommand =
        "globs=$(awk 'tolower($1)==\"confdir\"{for(i=2;i<=NF;i++)print $i\"/*.conf\"} tolower($1)==\"include\"{print $2}' /etc/chrony/chrony.conf /etc/chrony.conf 2>/dev/null); "
        + "for f in $globs; do [ -f \"$f\" ] && cat \"$f\" && echo; done; exit 0";

    /// <summary>
    /// chrony.conf as chronyd reads it: the drop-ins' text stands where the first confdir or include
    /// line is, so a directive later in chrony.conf still overrides them.
    /// </summary>
    public static string Effective(string main, string? dropIns)
    {
        ArgumentNullException.ThrowIfNull(main);
        if (string.IsNullOrEmpty(dropIns))
        {
            return main;
        }

        var at = ChronyDirective.Parse(main).FirstOrDefault(d => d.Name is "confdir" or "include");
        if (at is null)
        {
            return main;
        }

        var lines = main.Split('\n').ToList();
        lines.Insert(at.Line + 1, dropIns.TrimEnd('\n'));
        return string.Join('\n', lines);
    }

    /// <summary>The shell globs of every drop-in directory chrony.conf names, to gather their files.</summary>
    public const string GlobsCommand =
        "awk 'tolower($1)==\"confdir\"||tolower($1)==\"sourcedir\"{for(i=2;i<=NF;i++)print $i\"/*\"} tolower($1)==\"include\"{print $2}' ";

    private static bool IsAbsolute(string path) => path.StartsWith('/') && !path.Contains("..", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<dir>/[^*?\[\]]*[^/*?\[\]])/\*(?<ext>\.[A-Za-z0-9_-]+)$")]
    private static partial Regex SimpleGlob();
}
