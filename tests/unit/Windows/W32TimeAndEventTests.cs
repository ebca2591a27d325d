using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

public class W32TimeAndEventTests
{
    private static W32TimeStatus Status(string sample) => W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/" + sample), "win1");

    [Theory]
    [InlineData("w32tm-status-en-US.documented_format.txt")]
    [InlineData("w32tm-status-de-DE.documented_format.txt")]
    [InlineData("w32tm-status-fr-FR.documented_format.txt")]
    public void Status_reads_the_same_in_every_language_documented_format(string sample)
    {
        var status = Status(sample);

        Assert.Equal(0, status.LeapIndicator);
        Assert.Equal(4, status.Stratum);
        Assert.Equal(-23, status.Precision);
        Assert.Equal(0x14653909u, status.ReferenceId);
        Assert.Equal("time.windows.com,0x9", status.Source);
        Assert.Equal(1024, status.PollIntervalSeconds);
        Assert.InRange(status.RootDispersion!.Value.TotalSeconds, 7.7, 7.9);
        Assert.True(status.IsSynchronized);
        Assert.Null(status.PhaseOffset);
    }

    [Fact]
    public void Verbose_status_adds_the_phase_offset_recorded_output()
    {
        var status = Status("w32tm-status-verbose-en-US.recorded.txt");

        Assert.Equal(4, status.Stratum);
        Assert.Equal(TimeSpan.FromSeconds(-0.0038147), status.PhaseOffset);
        Assert.Equal(1024, status.PollIntervalSeconds);
        Assert.Equal(TimeSpan.FromSeconds(0.0154902), status.RootDelay);
        Assert.Equal("9/11/2025 2:32:05 PM", status.LastSuccessfulSyncText);
    }

    [Fact]
    public void Verbose_status_of_a_domain_member_documented_format()
    {
        var status = Status("w32tm-status-verbose-en-US.documented_format.txt");

        Assert.Equal((3, "dc01.corp.example", 64), (status.Stratum, status.Source, status.PollIntervalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(0.03125), status.RootDelay);
    }

    [Fact]
    public void Local_cmos_clock_is_not_synchronized_recorded_output()
    {
        var status = Status("w32tm-status-verbose-unsynced-en-US.recorded.txt");

        Assert.Equal(3, status.LeapIndicator);
        Assert.False(status.IsSynchronized);
        Assert.Equal(0u, status.ReferenceId);
        Assert.Equal("Local CMOS Clock", status.Source);
        Assert.Equal(TimeSpan.Zero, status.PhaseOffset);
    }

    [Theory]
    [InlineData("w32tm-status-verbose-en-US-vmic.recorded.txt", 4, 0x564D5450u, "VM IC Time Synchronization Provider", "9/15/2025 12:01:31 AM", 64, 0.0000758, 0.0100002)]
    [InlineData("w32tm-status-verbose-de-DE-line-wrap.recorded.txt", 3, 0xAC689AB6u, "de.pool.ntp.org", "15.09.2025 13:12:56", 8192, 0.0336332, 0.1054265)]
    public void Synchronized_status_in_english_and_german_recorded_output(string sample, int stratum, uint referenceId, string source, string lastSync, int poll, double delay, double dispersion)
    {
        var status = Status(sample);

        Assert.Equal((0, stratum, -23), (status.LeapIndicator, status.Stratum, status.Precision));
        Assert.Equal((referenceId, source, lastSync, poll), (status.ReferenceId, status.Source, status.LastSuccessfulSyncText, status.PollIntervalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(delay), status.RootDelay);
        Assert.Equal(TimeSpan.FromSeconds(dispersion), status.RootDispersion);
        Assert.True(status.IsSynchronized);
    }

    [Fact]
    public void The_integration_service_status_has_its_phase_offset_recorded_output() =>
        Assert.Equal(TimeSpan.FromSeconds(0.0000869), Status("w32tm-status-verbose-en-US-vmic.recorded.txt").PhaseOffset);

    [Fact]
    public void The_german_status_has_its_phase_offset_recorded_output() =>
        Assert.Equal(TimeSpan.FromSeconds(-0.0003717), Status("w32tm-status-verbose-de-DE-line-wrap.recorded.txt").PhaseOffset);

    [Fact]
    public void The_french_status_is_read_by_its_own_labels_recorded_output()
    {
        var status = Status("w32tm-status-verbose-fr-FR.recorded.txt");

        Assert.Equal((0, 4, -23), (status.LeapIndicator, status.Stratum, status.Precision));
        Assert.Equal("15/09/2025 01:11:10", status.LastSuccessfulSyncText);
        Assert.Equal("VM IC Time Synchronization Provider", status.Source);
        Assert.Equal(TimeSpan.FromSeconds(0.0015321), status.PhaseOffset);
        Assert.True(status.IsSynchronized);
    }

    [Fact]
    public void A_chinese_status_is_refused_as_unreadable_recorded_output() =>
        Assert.Equal("W32TimeStatusUnreadable", Assert.Throws<KvmTimeException>(() => Status("w32tm-status-verbose-zh-CN.recorded.txt")).ErrorId);

    [Fact]
    public void A_stopped_time_service_is_W32TimeServiceNotRunning_recorded_output()
    {
        var e = Assert.Throws<KvmTimeException>(() => W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-service-not-started-en-US.recorded.txt"), "win1"));

        Assert.Equal("W32TimeServiceNotRunning", e.ErrorId);
        Assert.Contains("Start-Service w32time", e.Message, StringComparison.Ordinal);
        Assert.Contains("The service has not been started. (0x80070426)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_time_service_is_recognised_in_chinese_by_its_error_code_documented_format()
    {
        var e = Assert.Throws<KvmTimeException>(() => W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-service-not-started-zh-CN.documented_format.txt"), "win1"));

        Assert.Equal("W32TimeServiceNotRunning", e.ErrorId);
        Assert.Contains("服务尚未启动", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_error_code_is_still_W32TimeStatusUnreadable() =>
        Assert.Equal("W32TimeStatusUnreadable", Assert.Throws<KvmTimeException>(() =>
            W32TimeStatusParser.Parse("The following error occurred: The specified service does not exist as an installed service. (0x80070424)\n", "win1")).ErrorId);

    [Fact]
    public void Kernel_general_and_time_service_events_from_their_event_data_documented_format()
    {
        var events = WindowsTimeEvents.Parse(SampleFiles.Read("windows/events-system-time.documented_format.json"), "win1");

        Assert.Equal(6, events.Count);
        var changed = events[0];
        Assert.Equal(WindowsTimeEventKind.SystemTimeChanged, changed.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(2287), changed.Change);
        Assert.Equal(@"C:\Windows\System32\svchost.exe", changed.Process);
        Assert.Equal(DateTimeKind.Utc, changed.NewTime!.Value.Kind);
        Assert.Equal(WindowsTimeEventKind.SyncStarted, events[1].Kind);
        Assert.Equal(3, events[1].Stratum);
        Assert.StartsWith("dc01.corp.example", events[2].Source, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2.287), events[3].Change);
        Assert.Null(events[4].Process);
        Assert.Equal(WindowsTimeEventKind.NotSynchronized, events[5].Kind);
    }
}
