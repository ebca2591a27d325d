namespace KvmTime.Targets;

/// <summary>The raw text of one gathered input and the exit status that produced it.</summary>
internal sealed record GatherValue(string Key, string Text, int ExitCode)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>The raw inputs gathered from one target, by key.</summary>
internal sealed class GatherResult
{
    /// <summary>What was read, for -Verbose: each input with its size, and the exit code of any that failed.</summary>
    public string Describe() => "read " + string.Join(", ", values.Values.Select(v =>
        v.Succeeded ? $"{v.Key} ({v.Text.Length} chars)" : $"{v.Key} (failed, exit {v.ExitCode})"));

    private readonly Dictionary<string, GatherValue> values = new(StringComparer.Ordinal);

    public GatherResult(IEnumerable<GatherValue> gathered)
    {
        foreach (var value in gathered)
        {
            values[value.Key] = value;
        }
    }

    public IReadOnlyCollection<GatherValue> Values => values.Values;

    /// <summary>The text for a key when it was gathered successfully; otherwise null.</summary>
    public string? TextOrNull(string key) =>
        values.TryGetValue(key, out var value) && value.Succeeded ? value.Text : null;

    public GatherValue? Get(string key) => values.GetValueOrDefault(key);
}
