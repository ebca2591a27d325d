using KvmTime.Model;

namespace KvmTime.Metrics;

/// <summary>What became of one report handed to <see cref="HealthReportSet.Add"/>.</summary>
internal enum HealthReportAdded
{
    Added,

    /// <summary>The computer already had a report: the later one replaces it (one series per computer, or the collector sees duplicates).</summary>
    Replaced,

    /// <summary>No ComputerName: an empty label value means no label, so its series would collide with others'.</summary>
    NoComputerName,
}

/// <summary>The reports one metrics file is written from: one per ComputerName (compared exactly, as label values are).</summary>
internal sealed class HealthReportSet
{
    private readonly Dictionary<string, KvmTimeHealth> byComputer = new(StringComparer.Ordinal);

    public int Count => byComputer.Count;

    public HealthReportAdded Add(KvmTimeHealth report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrEmpty(report.ComputerName))
        {
            return HealthReportAdded.NoComputerName;
        }

        var replaced = byComputer.ContainsKey(report.ComputerName);
        byComputer[report.ComputerName] = report;
        return replaced ? HealthReportAdded.Replaced : HealthReportAdded.Added;
    }

    /// <summary>Sorted by ComputerName, so the same reports always give the same file.</summary>
    public IEnumerable<KvmTimeHealth> Reports => byComputer.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value);
}
