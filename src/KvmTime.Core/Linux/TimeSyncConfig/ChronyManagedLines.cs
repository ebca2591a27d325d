namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// The chrony directives KvmTime manages (in its drop-ins or its marked block), merged with a new
/// request: a setting replaces the managed line of the same directive, new sources replace every
/// managed source, and everything else already managed stays. Settings come first, in a fixed order.
/// </summary>
internal sealed class ChronyManagedLines
{
    private static readonly string[] Order = ["makestep", "rtcsync", "refclock"];

    private readonly List<string> settings;
    private readonly List<string> sources;

    private ChronyManagedLines(List<string> settings, List<string> sources)
    {
        this.settings = settings;
        this.sources = sources;
    }

    public IReadOnlyList<string> Settings => settings;

    public IReadOnlyList<string> Sources => sources;

    /// <summary>Reads the directives of KvmTime's current managed text (drop-ins or block body).</summary>
    public static ChronyManagedLines From(string managedText)
    {
        ArgumentNullException.ThrowIfNull(managedText);
        var directives = ChronyDirective.Parse(managedText);
        return new ChronyManagedLines(
            directives.Where(d => !d.IsNetworkSource).Select(d => d.ToString()).ToList(),
            directives.Where(d => d.IsNetworkSource).Select(d => d.ToString()).ToList());
    }

    /// <summary>Sets a directive: replaces a managed line with the same name (for refclock: any PHC refclock), else adds it.</summary>
    public void Set(string line)
    {
        var name = NameOf(line);
        settings.RemoveAll(l => NameOf(l) == name);
        settings.Add(line);
        // Each line parsed once, and a stable order: lines of the same rank keep theirs.
        var ordered = settings.Select(l => (Rank: Rank(NameOf(l)), Line: l)).OrderBy(t => t.Rank).Select(t => t.Line).ToList();
        settings.Clear();
        settings.AddRange(ordered);
    }

    public void ReplaceSources(IEnumerable<string> lines)
    {
        sources.Clear();
        sources.AddRange(lines);
    }

    /// <summary>The names of the managed network sources (servers and pools).</summary>
    public IEnumerable<string> SourceNames => sources.Select(l => ChronyDirective.Parse(l).Single()).Where(d => d.Args.Count > 0).Select(d => d.Args[0]);

    private static string NameOf(string line) => ChronyDirective.Parse(line).Single().Name;

    private static int Rank(string name)
    {
        var index = Array.IndexOf(Order, name);
        return index < 0 ? Order.Length : index;
    }
}
