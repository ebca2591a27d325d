using System.Text.Json;
using KvmTime.Health;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Health;

/// <summary>Windows guests' findings from the snippet's JSON, built around recorded w32tm outputs.</summary>
public class WindowsHealthTests
{
    private static KvmTimeHealth Check(string statusSample, long? realTimeIsUniversal = null)
    {
        var json = JsonSerializer.Serialize(new { Status = SampleFiles.ReadBody("windows/" + statusSample), Clock = (string?)null, ClockError = "not read in this test", RealTimeIsUniversal = realTimeIsUniversal });
        var output = WindowsHealthScript.Parse(json, "win1");
        return WindowsHealthRules.Evaluate(output, "win1", new FixCommand("-Session (Get-PSSession -Id 4)"), DateTime.UnixEpoch);
    }

    [Fact]
    public void A_synchronised_w32time_is_healthy_recorded_output()
    {
        var health = Check("w32tm-status-verbose-en-US.recorded.txt");

        Assert.Equal(HealthVerdict.Healthy, health.Verdict);
        Assert.Equal("Windows", health.OperatingSystem);
        Assert.Equal("w32time", health.TimeDaemon);
        Assert.True(health.IsSynchronized);
        Assert.Equal(TimeSpan.FromSeconds(-0.0038147), health.Offset);
    }

    [Fact]
    public void W32time_on_the_local_cmos_clock_is_not_synchronised_recorded_output()
    {
        var health = Check("w32tm-status-verbose-unsynced-en-US.recorded.txt");

        var finding = HealthInputs.Only(health, HealthFindingIds.TimeNotSynchronized);
        Assert.Equal(HealthFindingSeverity.Warning, finding.Severity);
        Assert.Equal("w32tm /query /status /verbose", finding.EvidenceSource);
    }

    [Fact]
    public void A_stopped_w32time_is_no_time_daemon_recorded_output()
    {
        var health = Check("w32tm-service-not-started-en-US.recorded.txt");

        var finding = HealthInputs.Only(health, HealthFindingIds.NoTimeDaemon);
        Assert.Equal(HealthFindingSeverity.Critical, finding.Severity);
        Assert.Contains("0x80070426", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Real_time_is_universal_is_reported_with_its_value_recorded_output()
    {
        var health = Check("w32tm-status-verbose-en-US.recorded.txt", realTimeIsUniversal: 1);

        var finding = HealthInputs.Only(health, HealthFindingIds.WindowsRtcIsUniversal);
        Assert.Equal("RealTimeIsUniversal = 1", finding.Evidence);
        Assert.Equal(@"HKLM:\SYSTEM\CurrentControlSet\Control\TimeZoneInformation", finding.EvidenceSource);
        Assert.DoesNotContain(Check("w32tm-status-verbose-en-US.recorded.txt", realTimeIsUniversal: 0).Findings, f => f.Id == HealthFindingIds.WindowsRtcIsUniversal);
    }

    [Fact]
    public void Unreadable_snippet_output_is_its_own_error()
    {
        var e = Assert.Throws<KvmTime.Targets.KvmTimeException>(() => WindowsHealthScript.Parse("not json", "win1"));
        Assert.Equal(KvmTime.Targets.ErrorIds.WindowsHealthUnreadable, e.ErrorId);
    }
}
