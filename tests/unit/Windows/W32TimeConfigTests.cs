using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

public sealed class W32TimeConfigTests
{
    private static W32TimePeerSettings Current => W32TimePeerSettings.From(W32TimeConfigurationParser.Parse(SampleFiles.ReadBody("windows/w32tm-query-configuration.documented_format.txt"), "win1"));

    [Fact]
    public void Configuration_is_read_by_setting_name_documented_format()
    {
        Assert.Equal(new W32TimePeerSettings("time.windows.com,0x9", "NTP", 3600), Current);
        Assert.Equal("manual", Current.SyncFromFlags);
        Assert.Equal("domhier", (Current with { Type = "NT5DS" }).SyncFromFlags);
    }

    [Fact]
    public void Servers_become_manual_peers_flagged_0x9_with_the_poll_interval_documented_format()
    {
        var plan = W32TimeConfigPlanner.Plan(Current, new TimeSyncConfigRequest { Servers = ["ntp1.example.net", "192.0.2.10"], PollInterval = TimeSpan.FromSeconds(900) }, "win7");
        Assert.Equal(new W32TimePeerSettings("ntp1.example.net,0x9 192.0.2.10,0x9", "NTP", 900), plan.After);
        Assert.True(plan.IsChange);
        var shown = plan.Describe();
        Assert.Contains("- NtpServer: time.windows.com,0x9\n+ NtpServer: ntp1.example.net,0x9 192.0.2.10,0x9\n", shown, StringComparison.Ordinal);
        Assert.Contains("- SpecialPollInterval: 3600\n+ SpecialPollInterval: 900\n", shown, StringComparison.Ordinal);
        Assert.Contains("# run: w32tm /config /manualpeerlist:'ntp1.example.net,0x9 192.0.2.10,0x9' /syncfromflags:manual /update", shown, StringComparison.Ordinal);
        var script = plan.ApplyScript(plan.After, 45);
        Assert.Contains("-Name SpecialPollInterval -Value 900 -Type DWord", script, StringComparison.Ordinal);
        Assert.Contains("w32tm /resync /force", script, StringComparison.Ordinal);
        Assert.Contains("AddSeconds(45)", script, StringComparison.Ordinal);
        Assert.Contains("/syncfromflags:manual", plan.ApplyScript(plan.Before, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_peers_again_change_nothing_documented_format()
    {
        var plan = W32TimeConfigPlanner.Plan(Current, new TimeSyncConfigRequest { Servers = ["time.windows.com"] }, "win7");
        Assert.False(plan.IsChange);
    }

    [Theory]
    [InlineData(true, new string[0], "PtpKvmNeedsLinux")]
    [InlineData(false, new string[0], "W32TimeNeedsPeers")]
    [InlineData(false, new[] { "time.google.com", "time.windows.com" }, "SmearedSourcesMixed")]
    public void What_w32time_cannot_do_is_refused_documented_format(bool ptp, string[] servers, string id)
    {
        var e = Assert.Throws<KvmTimeException>(() => W32TimeConfigPlanner.Plan(Current, new TimeSyncConfigRequest { PtpKvm = ptp, Servers = servers, Preset = GuestTimeSyncPreset.Vm }, "win7"));
        Assert.Equal(id, e.ErrorId);
    }

    [Fact]
    public void A_status_that_follows_the_new_peer_passes_recorded_output()
    {
        var status = W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-verbose-en-US.recorded.txt"), "win7");
        Assert.True(W32TimeConfigVerdict.FollowsAPeer(status, ["time.windows.com"]));
        Assert.False(W32TimeConfigVerdict.FollowsAPeer(status, ["ntp1.example.net"]));
    }

    [Theory]
    [InlineData("windows/w32tm-status-verbose-unsynced-en-US.recorded.txt")]
    [InlineData("windows/w32tm-status-verbose-en-US-vmic.recorded.txt")]
    public void An_unsynchronised_or_hyper_v_status_fails_the_check_recorded_output(string sample)
    {
        var status = W32TimeStatusParser.Parse(SampleFiles.ReadBody(sample), "win7");
        Assert.False(W32TimeConfigVerdict.FollowsAPeer(status, ["time.windows.com", "ntp1.example.net"]));
    }
}
