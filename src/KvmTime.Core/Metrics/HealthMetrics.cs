using System.Globalization;
using KvmTime.Model;

namespace KvmTime.Metrics;

/// <summary>
/// Test-KvmTimeHealth's reports as Prometheus gauges, one series per computer (label computer). The
/// names and HELP texts never change between runs or files: the textfile collector drops a file whose
/// HELP differs from another file's for the same metric.
/// </summary>
internal static class HealthMetrics
{
    public const string Verdict = "kvmtime_health_verdict";
    public const string Offset = "kvmtime_clock_offset_seconds";
    public const string Synchronized = "kvmtime_clock_synchronized";
    public const string FindingCount = "kvmtime_findings";
    public const string Finding = "kvmtime_finding";
    public const string LastCheck = "kvmtime_last_check_timestamp_seconds";

    public static string ToText(HealthReportSet reports) => ExpositionWriter.Write(Families(reports));

    /// <summary>What -WhatIf and -Confirm name the write of <paramref name="text"/>: "Write 12 series for 3 computers".</summary>
    public static string WriteAction(string text, int computers)
    {
        ArgumentNullException.ThrowIfNull(text);
        var series = text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        return string.Create(CultureInfo.InvariantCulture, $"Write {series} series for {computers} computer{(computers == 1 ? string.Empty : "s")}");
    }

    public static IReadOnlyList<MetricFamily> Families(HealthReportSet reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var verdict = new MetricFamily(Verdict, "Timekeeping verdict of the target from Test-KvmTimeHealth: 0 healthy, 1 warning, 2 critical.");
        var offset = new MetricFamily(Offset, "The target's clock minus true time as its time daemon estimates it, in seconds; absent when no daemon reports one.");
        var synchronized = new MetricFamily(Synchronized, "1 when the target's time daemon says the clock is synchronized, 0 when it says not; absent when it could not be asked.");
        var count = new MetricFamily(FindingCount, "Number of findings Test-KvmTimeHealth reported for the target.");
        var finding = new MetricFamily(Finding, "1 for each finding on the target: its id, severity (warning or critical) and subject (a libvirt domain on a KVM host, else empty).");
        var lastCheck = new MetricFamily(LastCheck, "When the target was read, in seconds since the Unix epoch.");
        foreach (var report in reports.Reports)
        {
            var computer = ("computer", report.ComputerName);
            var findings = report.Findings ?? [];
            verdict.Add((int)report.Verdict, computer);
            if (report.Offset is { } clockOffset)
            {
                offset.Add(clockOffset.TotalSeconds, computer);
            }

            if (report.IsSynchronized is { } isSynchronized)
            {
                synchronized.Add(isSynchronized ? 1 : 0, computer);
            }

            count.Add(findings.Count, computer);
            foreach (var (id, severity, subject) in FindingLabels(findings))
            {
                finding.Add(1, computer, ("id", id), ("severity", severity), ("subject", subject));
            }

            if (report.CheckedAt != default)
            {
                lastCheck.Add(UnixSeconds(report.CheckedAt), computer);
            }
        }

        return [verdict, offset, synchronized, count, finding, lastCheck];
    }

    /// <summary>One series per distinct finding: two equal findings would be a duplicate series, which the collector refuses.</summary>
    private static IEnumerable<(string Id, string Severity, string Subject)> FindingLabels(IEnumerable<HealthFinding> findings) => findings
        .Where(f => f is not null)
        .Select(f => (Id: f.Id ?? string.Empty, Severity: SeverityLabel(f.Severity), Subject: f.Subject ?? string.Empty))
        .Distinct()
        .OrderBy(f => f.Id, StringComparer.Ordinal)
        .ThenBy(f => f.Subject, StringComparer.Ordinal)
        .ThenBy(f => f.Severity, StringComparer.Ordinal);

    /// <summary>Lower case, as alerting rules conventionally spell severities (severity="critical").</summary>
    private static string SeverityLabel(HealthFindingSeverity severity) =>
        Enum.IsDefined(severity) ? severity.ToString().ToLowerInvariant() : ((int)severity).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>CheckedAt is UTC; a local time is converted, an unspecified one taken as UTC. Millisecond precision.</summary>
    private static double UnixSeconds(DateTime checkedAt)
    {
        var utc = checkedAt.Kind == DateTimeKind.Local ? checkedAt.ToUniversalTime() : DateTime.SpecifyKind(checkedAt, DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToUnixTimeMilliseconds() / 1000.0;
    }
}
