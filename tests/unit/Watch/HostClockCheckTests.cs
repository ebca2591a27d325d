using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Watch;

/// <summary>The host-first guard, on the status samples Get-GuestTimeSync's tests use.</summary>
public sealed class HostClockCheckTests
{
    private static GatherResult Gathered(params (string Key, string Text, int ExitCode)[] values) =>
        new(values.Select(v => new GatherValue(v.Key, v.Text, v.ExitCode)));

    [Fact]
    public void A_synchronized_chronyd_passes()
    {
        var verdict = HostClockCheck.Judge(Gathered(("daemons", "chronyd\n", 0), ("chrony_tracking", SampleFiles.Read("timesync/chrony-4.3-lab-tracking.csv"), 0)), "kvm01");

        Assert.Equal(HostClockState.Synchronized, verdict.State);
        Assert.Contains("10.0.2.2", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chronyd_that_says_not_synchronised_refuses()
    {
        var verdict = HostClockCheck.Judge(Gathered(("daemons", "chronyd\n", 0), ("chrony_tracking", SampleFiles.Read("timesync/chrony-tracking-unsynced.csv"), 0)), "kvm01");

        Assert.Equal(HostClockState.NotSynchronized, verdict.State);
        Assert.Contains("Not synchronised", verdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("-Force", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chronyd_whose_status_cannot_be_read_is_unknown_not_unsynchronized()
    {
        // The build machine case: a lab's chronyd -x runs with its own command socket.
        var verdict = HostClockCheck.Judge(Gathered(("daemons", "chronyd\n", 0), ("chrony_tracking", "506 Cannot talk to daemon\n", 1)), "kvm01");

        Assert.Equal(HostClockState.Unknown, verdict.State);
    }

    [Fact]
    public void No_daemon_is_unknown()
    {
        var verdict = HostClockCheck.Judge(Gathered(("daemons", string.Empty, 0)), "kvm01");

        Assert.Equal(HostClockState.Unknown, verdict.State);
        Assert.Equal("None", verdict.Daemon);
    }

    [Fact]
    public void Timesyncd_follows_NTPSynchronized()
    {
        var show = SampleFiles.Read("timesync/timedatectl-show.txt");

        Assert.Equal(HostClockState.Synchronized, HostClockCheck.Judge(Gathered(("daemons", "systemd-timesyncd\n", 0), ("timedatectl_show", show, 0)), "kvm01").State);
        Assert.Equal(HostClockState.NotSynchronized, HostClockCheck.Judge(Gathered(("daemons", "systemd-timesyncd\n", 0), ("timedatectl_show", show.Replace("NTPSynchronized=yes", "NTPSynchronized=no", StringComparison.Ordinal), 0)), "kvm01").State);
    }

    [Fact]
    public void Ntpd_follows_its_selected_peer()
    {
        var peers = SampleFiles.Read("timesync/ntp-4.2.8-ntpq-p.txt");

        Assert.Equal(HostClockState.Synchronized, HostClockCheck.Judge(Gathered(("daemons", "ntpd\n", 0), ("ntpq_peers", peers, 0)), "kvm01").State);
        Assert.Equal(HostClockState.NotSynchronized, HostClockCheck.Judge(Gathered(("daemons", "ntpd\n", 0), ("ntpq_peers", peers.Replace("*ntp1", " ntp1", StringComparison.Ordinal), 0)), "kvm01").State);
    }
}
