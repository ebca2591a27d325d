namespace KvmTime.Metrics;

/// <summary>
/// One metric name with its HELP and TYPE and every series of it: the format wants them as one group,
/// HELP and TYPE once, before the first sample.
/// </summary>
internal sealed class MetricFamily
{
    private readonly List<MetricSample> samples = [];

    public MetricFamily(string name, string help)
    {
        if (!PrometheusText.IsValidMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name.", nameof(name));
        }

        Name = name;
        Help = help;
    }

    public string Name { get; }

    public string Help { get; }

    /// <summary>Every KvmTime metric is a gauge: a value as read at one moment.</summary>
    public static string Type => "gauge";

    public IReadOnlyList<MetricSample> Samples => samples;

    public void Add(double value, params (string Name, string Value)[] labels)
    {
        foreach (var (label, _) in labels)
        {
            if (!PrometheusText.IsValidLabelName(label))
            {
                throw new ArgumentException($"'{label}' is not a valid Prometheus label name.", nameof(labels));
            }
        }

        samples.Add(new MetricSample(labels.Select(l => KeyValuePair.Create(l.Name, l.Value)).ToList(), value));
    }
}
