using System.Globalization;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>
/// The expected-events table of a sample folder (expected-events.tsv): per file, its events in
/// order, each a kind and the values to check. The test compares, the table holds the truth.
/// </summary>
internal static class ExpectedEventTable
{
    public static Dictionary<string, List<(string Kind, Dictionary<string, string> Checks)>> Read(string folder)
    {
        var table = new Dictionary<string, List<(string, Dictionary<string, string>)>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "expected-events.tsv")).Where(l => l.Length > 0 && l[0] != '#'))
        {
            var cells = line.Split('\t');
            var checks = cells.Skip(2).Select(c => c.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            if (!table.TryGetValue(cells[0], out var rows))
            {
                table[cells[0]] = rows = [];
            }

            if (cells[1] != "none")
            {
                rows.Add((cells[1], checks));
            }
        }

        return table;
    }

    /// <summary>Asserts that an event has the kind and every value a row names.</summary>
    public static void AssertMatches(string file, int index, (string Kind, Dictionary<string, string> Checks) row, ClocksourceEvent e)
    {
        var where = $"{file} event {index}";
        Assert.True(row.Kind == e.Kind.ToString(), $"{where}: kind {e.Kind}, expected {row.Kind}");
        foreach (var (key, expected) in row.Checks)
        {
            var actual = Actual(key, e);
            Assert.True(expected == actual, $"{where} ({e.Kind}): {key} is '{actual}', expected '{expected}'");
        }
    }

    private static string Actual(string key, ClocksourceEvent e) => key switch
    {
        "cs" => e.Clocksource ?? "null",
        "wd" => e.Watchdog ?? "null",
        "cur" => e.CurrentClocksource ?? "null",
        "cpu" => Text(e.Cpu),
        "skew" => Text(e.SkewNs),
        "delta" => Text(e.DeltaNs),
        "wdns" => Text(e.WatchdogIntervalNs),
        "csns" => Text(e.ClocksourceIntervalNs),
        "mhz" => e.FrequencyMHz?.ToString("0.000", CultureInfo.InvariantCulture) ?? "null",
        "warp" => Text(e.WarpCycles),
        "since" => e.SinceBoot is { } s ? s.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture) : "null",
        "time" => e.TimeCreated is { } t ? t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture) : "null",
        "boot" => e.Boot.ToString(CultureInfo.InvariantCulture),
        "host" => e.ComputerName,
        "year-inferred" => e.YearInferred ? "true" : "false",
        "lines" => e.Lines.Count.ToString(CultureInfo.InvariantCulture),
        "reason" => e.Reason ?? "null",
        _ => throw new InvalidOperationException($"The table names an unknown check '{key}'."),
    };

    private static string Text<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "null";
}
