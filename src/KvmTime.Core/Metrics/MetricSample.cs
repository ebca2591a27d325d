namespace KvmTime.Metrics;

/// <summary>One series of a metric family: its label pairs in the order written, and its value.</summary>
internal sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
