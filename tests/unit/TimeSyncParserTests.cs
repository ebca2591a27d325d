using KvmTime.Host;
using KvmTime.Linux;
using KvmTime.Sync;
using Xunit;

namespace KvmTime.Tests;

public sealed class TimeSyncParserTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond));

    [Fact]
    public void Chrony_csv_tracking_turns_slow_into_a_negative_offset_and_keeps_frequency_positive_fast()
    {
        var t = ChronyTracking.Parse(SampleFiles.Read("timesync/chrony-tracking.csv"))!;
        Assert.Equal("CB00710F", t.ReferenceId);
        Assert.Equal("192.0.2.1", t.ReferenceName);
        Assert.Equal(3, t.Stratum);
        Assert.Equal(TimeSpan.FromTicks(-65), t.Offset); // 6.523 us slow
        Assert.Equal(-3.225, t.FrequencyPpm);           // "3.225 ppm slow"
        Assert.Equal("Normal", t.LeapStatus);
        Assert.True(t.IsSynchronized);
    }

    [Fact]
    public void Chrony_csv_tracking_without_a_reference_is_not_synchronised()
    {
        var t = ChronyTracking.Parse(SampleFiles.Read("timesync/chrony-tracking-unsynced.csv"))!;
        Assert.False(t.IsSynchronized);
        Assert.Null(t.ReferenceName);
    }

    [Fact]
    public void Chrony_human_tracking_of_chrony_3_reads_the_same_conventions()
    {
        var t = ChronyTracking.Parse(SampleFiles.Read("timesync/chrony-3.2-tracking.txt"))!;
        Assert.Equal("B869B610", t.ReferenceId);
        Assert.Equal("vps6.ctyme.com", t.ReferenceName);
        Assert.Equal(3, t.Stratum);
        Assert.Equal(TimeSpan.FromTicks(-7481), t.Offset);
        Assert.Equal(3.588, t.FrequencyPpm);
        Assert.True(t.IsSynchronized);
    }

    [Fact]
    public void Chrony_human_sources_with_the_old_210_line_parse_every_row()
    {
        var sources = ChronySources.Parse(SampleFiles.Read("timesync/chrony-3.2-sources.txt"));
        Assert.Equal(["lax1.m-d.net", "vps6.ctyme.com", "paladin.latt.net", "time.no-such-agency.net"], sources.Select(s => s.Name));
        var selected = Assert.Single(sources, s => s.IsSelected);
        Assert.Equal("vps6.ctyme.com", selected.Name);
        Assert.Equal(Ms(1.086), selected.Offset);
        Assert.Equal(212, selected.LastSampleAgeSeconds);
        Assert.Equal(2, selected.Stratum);
        Assert.Equal(["Combined", "Selected", "Combined", "Unreachable"], sources.Select(s => s.State));
        Assert.Null(sources[3].Offset);
        Assert.Null(sources[3].LastSampleAgeSeconds);
        Assert.False(sources[3].IsReachable);
    }

    [Fact]
    public void Chrony_ages_read_every_suffix()
    {
        Assert.Equal(34, ChronySources.Age("34"));
        Assert.Equal(35 * 60, ChronySources.Age("35m"));
        Assert.Equal(4 * 3600, ChronySources.Age("4h"));
        Assert.Equal(12 * 86400, ChronySources.Age("12d"));
        Assert.Null(ChronySources.Age("-"));
        Assert.Null(ChronySources.Age("4294967295"));
    }

    [Fact]
    public void Ntpq_of_ntp_4_2_8_negates_the_offset_and_reads_tally_and_when_suffixes()
    {
        var peers = NtpqPeers.Parse(SampleFiles.Read("timesync/ntp-4.2.8-ntpq-p.txt"));
        Assert.Equal(5, peers.Count);
        var selected = Assert.Single(peers, p => p.IsSelected);
        Assert.Equal("ntp1.example.co", selected.Name);
        Assert.Equal(Ms(0.611), selected.Offset); // ntpq -0.611 ms: the source is behind, so the local clock is ahead
        Assert.Equal(169, selected.LastSampleAgeSeconds);
        Assert.Equal(120, peers[2].LastSampleAgeSeconds);
        Assert.Equal(["None", "Selected", "Candidate", "Outlier", "Falseticker"], peers.Select(p => p.State));
        Assert.Null(peers[0].Offset);
        Assert.Equal(Ms(-3600.005), peers[4].Offset);
    }

    [Fact]
    public void Ntpq_of_ntpsec_reads_the_wide_layout()
    {
        var peers = NtpqPeers.Parse(SampleFiles.Read("timesync/ntpsec-1.2-ntpq-p.txt"));
        Assert.Equal(["0.debian.pool.ntp.org", "ntp1.example.net", "2001:db8::123"], peers.Select(p => p.Name));
        Assert.Equal(Ms(0.2345), peers[1].Offset);
        Assert.Equal(Ms(-0.912), peers[2].Offset);
        Assert.Equal(16, peers[0].Stratum);
    }

    [Fact]
    public void Ntpq_system_variables_map_leap_bits_and_signs()
    {
        var rv = NtpqPeers.ParseSystemVariables(SampleFiles.Read("timesync/ntpq-rv.txt"))!;
        Assert.Equal("Normal", rv.LeapStatus);
        Assert.Equal(3, rv.Stratum);
        Assert.Equal(Ms(0.611), rv.Offset);
        Assert.Equal(12.345, rv.FrequencyPpm);
        Assert.False(NtpqPeers.ParseSystemVariables("leap=11, stratum=16, offset=0.000")!.IsSynchronized);
    }

    [Fact]
    public void Timedatectl_show_and_timesync_status_parse()
    {
        Assert.Equal("yes", Timedatectl.ParseShow(SampleFiles.Read("timesync/timedatectl-show.txt"))["NTPSynchronized"]);
        var status = Timedatectl.ParseTimesyncStatus(SampleFiles.Read("timesync/timedatectl-timesync-status.txt"))!;
        Assert.Equal("192.0.2.1 (ntp.example.net)", status.Server);
        Assert.Equal(3, status.Stratum);
        Assert.Equal(Ms(1.126), status.Offset);
        Assert.Equal(2.587, status.FrequencyPpm);
        Assert.Equal("normal", status.Leap);
    }

    [Fact]
    public void Timedatectl_offsets_in_hours_and_milliseconds_add_up()
    {
        var status = Timedatectl.ParseTimesyncStatus(SampleFiles.Read("timesync/timedatectl-timesync-status-stepped.txt"))!;
        Assert.Equal(TimeSpan.FromHours(1) + Ms(2.504), status.Offset);
        Assert.Null(status.FrequencyPpm);
        Assert.Equal(TimeSpan.FromSeconds(-62.5), Timedatectl.ParseTimespan("-1min 2.5s"));
        Assert.Equal(TimeSpan.FromTicks(5), Timedatectl.ParseTimespan("+500ns"));
        Assert.Null(Timedatectl.ParseTimespan("n/a"));
    }

    [Fact]
    public void Chrony_config_advice_flags_a_limited_makestep_and_ptp_kvm_only_when_available()
    {
        var debian = SampleFiles.Read("timesync/chrony-debian.conf");
        var advice = ChronyConfigAdvisor.Advise(debian, ptpKvmAvailable: true);
        Assert.Equal(2, advice.Count);
        Assert.Contains("'makestep 1 3' steps only in the first 3", advice[0], StringComparison.Ordinal);
        Assert.Contains("refclock PHC", advice[1], StringComparison.Ordinal);
        Assert.Single(ChronyConfigAdvisor.Advise(debian, ptpKvmAvailable: false));
        Assert.Empty(ChronyConfigAdvisor.Advise(SampleFiles.Read("timesync/chrony-vm-good.conf"), ptpKvmAvailable: true));
        Assert.Equal(2, ChronyConfigAdvisor.Advise("server 10.0.2.2 iburst\n# makestep 1 -1\n", ptpKvmAvailable: false).Count);
    }

    [Fact]
    public void Ptp_kvm_counts_a_loadable_module_only_on_a_kvm_guest()
    {
        Assert.True(GuestTimeSyncReader.PtpKvmAvailable("device\n"));
        Assert.True(GuestTimeSyncReader.PtpKvmAvailable("module\nkvm\n"));
        Assert.False(GuestTimeSyncReader.PtpKvmAvailable("module\n"));
        Assert.False(GuestTimeSyncReader.PtpKvmAvailable(null));
    }

    [Fact]
    public void Virsh_timed_guest_time_takes_the_host_midpoint()
    {
        var sample = VirshCommands.ParseTimedGuestTime("1700000000000000000 1700000000040000000\n{\"return\":1700003600020000000}\n\n")!;
        Assert.Equal(TimeSpan.FromSeconds(3600), sample.Offset);
        Assert.Equal(TimeSpan.FromMilliseconds(40), sample.RoundTrip);
        Assert.Null(VirshCommands.ParseTimedGuestTime("1 2\nerror: Guest agent is not responding"));
    }

    [Theory]
    [InlineData("error: failed to get domain 'nope'", 1, "DomainNotFound")]
    [InlineData("error: Domain not found: no domain with matching name 'nope'", 1, "DomainNotFound")]
    [InlineData("error: Requested operation is not valid: domain is not running", 1, "DomainNotRunning")]
    [InlineData("error: Guest agent is not responding: QEMU guest agent is not connected", 1, "AgentNotConnected")]
    [InlineData("error: argument unsupported: QEMU guest agent is not configured", 1, "AgentNotConfigured")]
    [InlineData("error: Guest agent is not responding: Guest agent not available for now", 1, "AgentTimeout")]
    [InlineData("error: internal error: unable to execute QEMU agent command 'guest-set-time': this feature or command is not currently supported", 1, "AgentCommandUnsupported")]
    [InlineData("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", 1, "LibvirtUnavailable")]
    [InlineData("sh: 1: virsh: not found", 127, "VirshNotFound")]
    [InlineData("", 124, "AgentTimeout")]
    public void Virsh_errors_become_specific_error_ids(string output, int exitCode, string errorId) =>
        Assert.Equal(errorId, VirshFailures.Classify(output, exitCode, "host1", "guest1").ErrorId);

    [Theory]
    [InlineData("kvmtime-lab-1", true)]
    [InlineData("web_01.prod", true)]
    [InlineData("-c", false)]
    [InlineData("a'b", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Domain_names_are_validated_before_they_reach_a_shell(string name, bool valid)
    {
        if (valid)
        {
            Assert.Equal(name, LibvirtNames.Domain(name));
        }
        else
        {
            Assert.Equal("InvalidDomainName", Assert.Throws<Targets.KvmTimeException>(() => LibvirtNames.Domain(name)).ErrorId);
        }
    }

    [Fact]
    public void The_verdict_fails_a_sync_that_stays_above_the_tolerance()
    {
        var result = new Model.TimeSyncResult
        {
            ComputerName = "h", Method = "Virsh", Action = "a", OffsetAfter = TimeSpan.FromMilliseconds(-80), Succeeded = true, Message = "Set",
        };
        Assert.True(TimeSyncVerdict.Judge(result, null).Succeeded);
        var judged = TimeSyncVerdict.Judge(result, TimeSpan.FromMilliseconds(50));
        Assert.False(judged.Succeeded);
        Assert.Equal("Set; but the offset afterwards is still -80.0 ms, more than +50.0 ms.", judged.Message);
        Assert.Equal("+3600.002 s", TimeSyncVerdict.Format(TimeSpan.FromMilliseconds(3600002)));
    }
}

/// <summary>Real chrony 4.3 output captured in the lab guest (chronyd following the lab server 10.0.2.2).</summary>
public sealed class ChronyLabCaptureTests
{
    [Fact]
    public void Lab_csv_and_human_tracking_agree_on_the_offset_sign()
    {
        var csv = ChronyTracking.Parse(SampleFiles.Read("timesync/chrony-4.3-lab-tracking.csv"))!;
        var human = ChronyTracking.Parse(SampleFiles.Read("timesync/chrony-4.3-lab-tracking.txt"))!;
        Assert.Equal(TimeSpan.FromTicks(10002), csv.Offset);     // CSV -0.001000186: negative means fast
        Assert.Equal(TimeSpan.FromTicks(7617), human.Offset);    // "0.000761748 seconds fast"
        Assert.Equal(("0A000202", "10.0.2.2", 9, "Normal"), (csv.ReferenceId, csv.ReferenceName, csv.Stratum, csv.LeapStatus));
        Assert.Equal(("0A000202", "10.0.2.2", 9, "Normal"), (human.ReferenceId, human.ReferenceName, human.Stratum, human.LeapStatus));
    }

    [Fact]
    public void Lab_human_and_csv_sources_read_the_same_row()
    {
        var human = Assert.Single(ChronySources.Parse(SampleFiles.Read("timesync/chrony-4.3-lab-sources.txt")));
        var csv = Assert.Single(ChronySources.Parse(SampleFiles.Read("timesync/chrony-4.3-lab-sources.csv")));
        Assert.Equal(("10.0.2.2", "Selected", 8, "17", 2L), (human.Name, human.State, human.Stratum!.Value, human.Reach, human.LastSampleAgeSeconds!.Value));
        Assert.Equal(("10.0.2.2", "Selected", 8, "17", 2L), (csv.Name, csv.State, csv.Stratum!.Value, csv.Reach, csv.LastSampleAgeSeconds!.Value));
        Assert.Equal(TimeSpan.FromTicks(24720), human.Offset);
        Assert.Equal(TimeSpan.FromTicks(47830), human.MeasuredOffset);
        Assert.Equal(TimeSpan.FromTicks(24719), csv.Offset);
    }

    [Fact]
    public void After_a_one_hour_skew_the_measured_offset_is_plus_3600_s_and_the_adjusted_one_small_once_chronyd_stepped()
    {
        var source = Assert.Single(ChronySources.Parse(SampleFiles.Read("timesync/chrony-4.3-lab-sources-after-1h-skew.csv")));
        Assert.Equal(3599.05, source.MeasuredOffset!.Value.TotalSeconds, 2);
        Assert.Equal(0.087, source.Offset!.Value.TotalSeconds, 3);
    }
}
