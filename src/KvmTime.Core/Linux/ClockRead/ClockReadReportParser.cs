using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.ClockRead;

/// <summary>Reads the "key value" and "sample kind ns" lines every clock-read loop prints.</summary>
internal static class ClockReadReportParser
{
    public static ClockReadReport Parse(string text, string computerName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? string.Empty : line[(space + 1)..];
            if (key != "sample")
            {
                if (key.Length > 0)
                {
                    facts[key] = value.Trim();
                }

                continue;
            }

            var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ns) && double.IsFinite(ns))
            {
                if (!samples.TryGetValue(fields[0], out var list))
                {
                    samples[fields[0]] = list = [];
                }

                list.Add(ns);
            }
        }

        if (!facts.ContainsKey("method") || !samples.ContainsKey("monotonic") || !samples.ContainsKey("realtime"))
        {
            throw new KvmTimeException(ErrorIds.ClockReadOutputInvalid, FailureKind.InvalidResult,
                string.Format(CultureInfo.InvariantCulture, Messages.ClockReadOutputInvalid, computerName, Head(text))) { ComputerName = computerName };
        }

        return new ClockReadReport
        {
            Facts = facts,
            Samples = samples.ToDictionary(p => p.Key, p => (IReadOnlyList<double>)p.Value, StringComparer.Ordinal),
        };
    }

    private static string Head(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "...";
}
