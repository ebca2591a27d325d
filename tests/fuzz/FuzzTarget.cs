namespace KvmTime.Fuzz;

/// <summary>
/// One parser entry point: its name (also the prefix of its regression samples), the real samples
/// that seed its mutations (paths under tests/unit/Samples, '*' allowed in the file name, or
/// hand-written text after <see cref="TextSeed"/>), and the
/// call that must return a model or throw KvmTimeException for every input.
/// </summary>
public sealed record FuzzTarget(string Name, IReadOnlyList<string> Seeds, Action<string> Run)
{
    /// <summary>A seed that starts with this is hand-written text, not a sample path.</summary>
    public const string TextSeed = "text:";
}
