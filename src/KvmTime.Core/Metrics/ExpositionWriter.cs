using System.Text;

namespace KvmTime.Metrics;

/// <summary>
/// Metric families as the text exposition format: UTF-8 text in which every line, the last included,
/// ends in a line feed (never CR LF), no timestamps (the textfile collector refuses them), and a family
/// without series left out entirely.
/// </summary>
internal static class ExpositionWriter
{
    public static string Write(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        foreach (var family in families.Where(f => f.Samples.Count > 0))
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(PrometheusText.EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(MetricFamily.Type).Append('\n');
            foreach (var sample in family.Samples)
            {
                text.Append(family.Name);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{')
                        .AppendJoin(',', sample.Labels.Select(l => $"{l.Key}=\"{PrometheusText.EscapeLabelValue(l.Value)}\""))
                        .Append('}');
                }

                text.Append(' ').Append(PrometheusText.FormatValue(sample.Value)).Append('\n');
            }
        }

        return text.ToString();
    }
}
