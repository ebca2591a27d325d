namespace KvmTime.Targets;

/// <summary>How one raw input of a cmdlet is collected on the target.</summary>
internal enum GatherItemKind
{
    /// <summary>The whole content of a file.</summary>
    File,

    /// <summary>The first paragraph of a file (up to the first blank line), e.g. one CPU of /proc/cpuinfo.</summary>
    FileFirstBlock,

    /// <summary>The standard output of a POSIX shell command.</summary>
    Command,
}

/// <summary>One raw input: a key the parser asks for, and how to get it.</summary>
internal sealed record GatherItem(string Key, GatherItemKind Kind, string Text);

/// <summary>
/// Everything a cmdlet needs from one target, collected in a single round trip.
/// Paths and commands are fixed by the module, never taken from user input.
/// </summary>
internal sealed class GatherRequest
{
    private readonly List<GatherItem> items = [];

    public IReadOnlyList<GatherItem> Items => items;

    public GatherRequest File(string key, string path) => Add(new GatherItem(key, GatherItemKind.File, path));

    public GatherRequest FileFirstBlock(string key, string path) => Add(new GatherItem(key, GatherItemKind.FileFirstBlock, path));

    public GatherRequest Command(string key, string shellCommand) => Add(new GatherItem(key, GatherItemKind.Command, shellCommand));

    /// <summary>
    /// Adds every input of <paramref name="other"/>, so several readers share one round trip. An input
    /// both ask for (same key, same way) is read once; one key asked for two different ways is a bug.
    /// </summary>
    public GatherRequest Include(GatherRequest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var item in other.Items)
        {
            var existing = items.Find(i => i.Key == item.Key);
            if (existing is null)
            {
                Add(item);
            }
            else if (existing != item)
            {
                throw new ArgumentException($"Gather key '{item.Key}' is asked for in two different ways.", nameof(other));
            }
        }

        return this;
    }

    private GatherRequest Add(GatherItem item)
    {
        if (!GatherKey.IsValid(item.Key))
        {
            throw new ArgumentException($"Gather key '{item.Key}' must be letters, digits, '-' or '_'.", nameof(item));
        }

        items.Add(item);
        return this;
    }
}

internal static class GatherKey
{
    public static bool IsValid(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
