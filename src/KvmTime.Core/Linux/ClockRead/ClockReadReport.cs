namespace KvmTime.Linux.ClockRead;

/// <summary>The raw report of one clock-read loop: its header facts and every round's ns per call, by kind.</summary>
internal sealed class ClockReadReport
{
    public required IReadOnlyDictionary<string, string> Facts { get; init; }

    public required IReadOnlyDictionary<string, IReadOnlyList<double>> Samples { get; init; }

    public string? Fact(string key) => Facts.GetValueOrDefault(key);

    public IReadOnlyList<double> SamplesOf(string kind) => Samples.GetValueOrDefault(kind) ?? [];
}
