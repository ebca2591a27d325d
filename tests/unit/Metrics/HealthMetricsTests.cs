using System.Text.RegularExpressions;
using KvmTime.Metrics;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Metrics;

public partial class HealthMetricsTests
{
    private static readonly DateTime Checked = new(2026, 3, 1, 12, 0, 0, 250, DateTimeKind.Utc);

    private static KvmTimeHealth Report(string computer, HealthVerdict verdict, params HealthFinding[] findings) => new()
    {
        ComputerName = computer,
        OperatingSystem = "Linux",
        Verdict = verdict,
        Findings = findings,
        CheckedAt = Checked,
    };

    private static HealthFinding Finding(string id, HealthFindingSeverity severity, string? subject = null) => new()
    {
        Id = id,
        Severity = severity,
        Subject = subject,
        Message = "hand-written",
        Evidence = "hand-written",
    };

    private static string Text(params KvmTimeHealth[] reports)
    {
        var set = new HealthReportSet();
        foreach (var report in reports)
        {
            set.Add(report);
        }

        return HealthMetrics.ToText(set);
    }

    [Fact]
    public void Writes_every_family_once_with_help_and_type_before_its_series()
    {
        var host = Report("host7", HealthVerdict.Critical,
            Finding("DomainClockNoKvmclock", HealthFindingSeverity.Critical, "win\"11"),
            Finding("MakestepMissing", HealthFindingSeverity.Warning));
        var guest = Report("guest1", HealthVerdict.Healthy);
        guest = new KvmTimeHealth
        {
            ComputerName = guest.ComputerName, OperatingSystem = "Linux", Verdict = HealthVerdict.Healthy, Findings = [], CheckedAt = Checked,
            Offset = TimeSpan.FromMilliseconds(-1.5), IsSynchronized = true,
        };

        // Computed by hand from the format: computers sorted, findings sorted by id, no timestamps.
        const string expected =
            "# HELP kvmtime_health_verdict Timekeeping verdict of the target from Test-KvmTimeHealth: 0 healthy, 1 warning, 2 critical.\n" +
            "# TYPE kvmtime_health_verdict gauge\n" +
            "kvmtime_health_verdict{computer=\"guest1\"} 0\n" +
            "kvmtime_health_verdict{computer=\"host7\"} 2\n" +
            "# HELP kvmtime_clock_offset_seconds The target's clock minus true time as its time daemon estimates it, in seconds; absent when no daemon reports one.\n" +
            "# TYPE kvmtime_clock_offset_seconds gauge\n" +
            "kvmtime_clock_offset_seconds{computer=\"guest1\"} -0.0015\n" +
            "# HELP kvmtime_clock_synchronized 1 when the target's time daemon says the clock is synchronized, 0 when it says not; absent when it could not be asked.\n" +
            "# TYPE kvmtime_clock_synchronized gauge\n" +
            "kvmtime_clock_synchronized{computer=\"guest1\"} 1\n" +
            "# HELP kvmtime_findings Number of findings Test-KvmTimeHealth reported for the target.\n" +
            "# TYPE kvmtime_findings gauge\n" +
            "kvmtime_findings{computer=\"guest1\"} 0\n" +
            "kvmtime_findings{computer=\"host7\"} 2\n" +
            "# HELP kvmtime_finding 1 for each finding on the target: its id, severity (warning or critical) and subject (a libvirt domain on a KVM host, else empty).\n" +
            "# TYPE kvmtime_finding gauge\n" +
            "kvmtime_finding{computer=\"host7\",id=\"DomainClockNoKvmclock\",severity=\"critical\",subject=\"win\\\"11\"} 1\n" +
            "kvmtime_finding{computer=\"host7\",id=\"MakestepMissing\",severity=\"warning\",subject=\"\"} 1\n" +
            "# HELP kvmtime_last_check_timestamp_seconds When the target was read, in seconds since the Unix epoch.\n" +
            "# TYPE kvmtime_last_check_timestamp_seconds gauge\n" +
            "kvmtime_last_check_timestamp_seconds{computer=\"guest1\"} 1772366400.25\n" +
            "kvmtime_last_check_timestamp_seconds{computer=\"host7\"} 1772366400.25\n";

        Assert.Equal(expected, Text(host, guest));
    }

    [Fact]
    public void Unknown_offset_and_synchronization_write_no_series_rather_than_a_made_up_zero()
    {
        var text = Text(Report("a", HealthVerdict.Warning, Finding("X", HealthFindingSeverity.Warning)));

        Assert.DoesNotContain("kvmtime_clock_offset_seconds", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kvmtime_clock_synchronized", text, StringComparison.Ordinal);
        Assert.Contains("kvmtime_health_verdict{computer=\"a\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_label_values_stay_one_line_per_series_and_every_series_is_unique()
    {
        var text = Text(
            Report("evil\"}\n x 1\\", HealthVerdict.Critical, Finding("Id\nTwo", HealthFindingSeverity.Critical, "dom\\\"ain\n")),
            Report("b", HealthVerdict.Warning, Finding("Same", HealthFindingSeverity.Warning, "d"), Finding("Same", HealthFindingSeverity.Warning, "d")));

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.TrimEnd('\n').Split('\n');
        var series = lines.Where(l => !l.StartsWith('#')).ToList();
        Assert.All(series, l => Assert.Matches(SampleLine(), l));
        Assert.Equal(series.Count, series.Select(l => l[..l.LastIndexOf(' ')]).Distinct().Count());
        Assert.Contains("kvmtime_finding{computer=\"evil\\\"}\\n x 1\\\\\",id=\"Id\\nTwo\",severity=\"critical\",subject=\"dom\\\\\\\"ain\\n\"} 1", series);
        // Two equal findings: one series, while the count says what was reported.
        Assert.Single(series, l => l.StartsWith("kvmtime_finding{computer=\"b\"", StringComparison.Ordinal));
        Assert.Contains("kvmtime_findings{computer=\"b\"} 2", series);
    }

    [Fact]
    public void Help_and_type_come_once_per_family_and_every_name_is_valid()
    {
        var text = Text(Report("a", HealthVerdict.Healthy), Report("b", HealthVerdict.Critical, Finding("X", HealthFindingSeverity.Critical)));
        var lines = text.TrimEnd('\n').Split('\n');
        var helped = lines.Where(l => l.StartsWith("# HELP ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        var typed = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();

        Assert.Equal(helped.Distinct(), helped);
        Assert.Equal(helped, typed);
        Assert.All(helped, name => Assert.True(PrometheusText.IsValidMetricName(name), name));
        Assert.All(helped, name => Assert.StartsWith("kvmtime_", name, StringComparison.Ordinal));
        foreach (var name in helped)
        {
            // Every series of a family directly follows its TYPE line: one group per metric.
            var at = Array.IndexOf(lines, $"# TYPE {name} gauge");
            var group = lines.Skip(at + 1).TakeWhile(l => !l.StartsWith('#')).ToList();
            Assert.Equal(lines.Count(l => l.StartsWith(name + "{", StringComparison.Ordinal)), group.Count);
        }
    }

    [Fact]
    public void No_reports_give_an_empty_file_that_still_replaces_stale_metrics() => Assert.Equal(string.Empty, Text());

    [Fact]
    public void A_later_report_for_the_same_computer_replaces_the_earlier_one_and_a_nameless_one_is_refused()
    {
        var set = new HealthReportSet();

        Assert.Equal(HealthReportAdded.Added, set.Add(Report("a", HealthVerdict.Healthy)));
        Assert.Equal(HealthReportAdded.Added, set.Add(Report("A", HealthVerdict.Healthy)));
        Assert.Equal(HealthReportAdded.Replaced, set.Add(Report("a", HealthVerdict.Critical)));
        Assert.Equal(HealthReportAdded.NoComputerName, set.Add(Report(string.Empty, HealthVerdict.Critical)));
        Assert.Equal(2, set.Count);
        Assert.Contains("kvmtime_health_verdict{computer=\"a\"} 2\n", HealthMetrics.ToText(set), StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_check_time_is_converted_to_utc()
    {
        var local = Checked.ToLocalTime();
        var report = new KvmTimeHealth { ComputerName = "a", OperatingSystem = "Linux", Verdict = HealthVerdict.Healthy, Findings = [], CheckedAt = local };

        Assert.Contains("kvmtime_last_check_timestamp_seconds{computer=\"a\"} 1772366400.25\n", Text(report), StringComparison.Ordinal);
    }

    // name{label="value",...} value, where a value is any run of non-quote, non-backslash, non-newline characters or an escape.
    [GeneratedRegex("""^[a-z_]+\{[a-z_]+="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-z_]+="(?:[^"\\\n]|\\[\\"n])*")*\} -?[0-9.E+-]+$""")]
    private static partial Regex SampleLine();
}
