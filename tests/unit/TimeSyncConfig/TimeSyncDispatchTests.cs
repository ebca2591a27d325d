using KvmTime.Linux.Boot;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.TimeSyncConfig.TimeSyncFactsBuilder;

namespace KvmTime.Tests.TimeSyncConfig;

public sealed class TimeSyncDispatchTests
{
    private static TimeSyncConfigFacts Ntpd(string conf) => new()
    {
        ComputerName = "vm7",
        RunningDaemons = ["ntpd"],
        NtpConf = new BootFile("/etc/ntpsec/ntp.conf", conf),
        NtpServiceManager = ServiceManager.Systemd,
        NtpService = "ntpsec",
    };

    [Theory]
    [InlineData(true, "TimesyncdCannotUsePhc")]
    [InlineData(false, "TimesyncdNotSupported")]
    public void Timesyncd_guests_are_told_it_cannot_use_a_phc_and_to_install_chrony(bool ptp, string id)
    {
        var facts = new TimeSyncConfigFacts { ComputerName = "vm7", RunningDaemons = ["systemd-timesyncd"] };
        var e = Assert.Throws<KvmTimeException>(() => TimeSyncConfigDispatch.Plan(facts, new TimeSyncConfigRequest { PtpKvm = ptp, Preset = GuestTimeSyncPreset.Vm }, Now));
        Assert.Equal(id, e.ErrorId);
        Assert.Contains("Install chrony", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ntpd_gets_tinker_panic_0_at_the_top_once()
    {
        // hand-written ntp.conf in the layout of Debian's ntpsec package
        var conf = "driftfile /var/lib/ntpsec/ntp.drift\npool 0.debian.pool.ntp.org iburst\n";
        var vm = new TimeSyncConfigRequest { Preset = GuestTimeSyncPreset.Vm };
        var plan = TimeSyncConfigDispatch.Plan(Ntpd(conf), vm, Now);
        var file = Assert.Single(plan.Changes.Files);
        Assert.StartsWith("# KvmTime Set-GuestTimeSync", file.NewContent, StringComparison.Ordinal);
        Assert.EndsWith("\ntinker panic 0\n" + conf, file.NewContent, StringComparison.Ordinal);
        Assert.Equal(["systemctl restart ntpsec.service"], plan.Changes.Commands);
        Assert.Contains("# verify: wait up to 45 s for 'ntpq -pn' to show a peer that answers", plan.Describe(), StringComparison.Ordinal);
        Assert.Equal("ntpq -pn", plan.StatusCommand);
        // ntpq -pn rows in the layout of the ntpsec 1.2 sample (timesync/ntpsec-1.2-ntpq-p.txt), numeric as -n prints them.
        Assert.Matches(plan.SelectedRegex, "*192.0.2.11                                   192.0.2.12       2 u   33   64  377   1.2345  -0.2345   0.0567");
        Assert.Matches(plan.SelectedRegex, " 2001:db8::123                                .PPS.            1 u   12   64    1  14.5000   0.9120   0.3000");
        Assert.DoesNotMatch(plan.SelectedRegex, " 0.debian.pool.ntp.org                        .POOL.          16 p    -  256    0   0.0000   0.0000   0.0001");
        Assert.DoesNotMatch(plan.SelectedRegex, " 192.0.2.13                                   .INIT.          16 u    -   64    0   0.0000   0.0000   0.0001");

        var again = TimeSyncConfigDispatch.Plan(Ntpd(file.NewContent), vm, Now);
        Assert.False(again.IsChange);
    }

    [Fact]
    public void Ntpd_cannot_take_a_phc()
    {
        var e = Assert.Throws<KvmTimeException>(() => TimeSyncConfigDispatch.Plan(Ntpd("server 192.0.2.1\n"), new TimeSyncConfigRequest { PtpKvm = true }, Now));
        Assert.Equal("NtpdCannotUsePhc", e.ErrorId);
    }

    [Fact]
    public void A_guest_without_chrony_or_ntpd_is_told_to_install_chrony()
    {
        var e = Assert.Throws<KvmTimeException>(() => TimeSyncConfigDispatch.Plan(new TimeSyncConfigFacts { ComputerName = "vm7", RunningDaemons = [] }, new TimeSyncConfigRequest { Preset = GuestTimeSyncPreset.Vm }, Now));
        Assert.Equal("ChronyNotInstalled", e.ErrorId);
    }
}
