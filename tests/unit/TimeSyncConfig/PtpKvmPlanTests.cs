using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.TimeSyncConfig.TimeSyncFactsBuilder;

namespace KvmTime.Tests.TimeSyncConfig;

public sealed class PtpKvmPlanTests
{
    private static readonly TimeSyncConfigRequest Ptp = new() { PtpKvm = true };

    private static TimeSyncConfigFacts Facts(PtpClock[] clocks, string? link = null, bool udev = true, bool module = true, bool kvmClock = true, string[]? rules = null) => new()
    {
        ComputerName = "vm7",
        RunningDaemons = ["chronyd"],
        ChronyConf = Chrony(DebianStock).ChronyConf,
        PtpClocks = clocks,
        PtpKvmLink = link,
        HasUdev = udev,
        PtpKvmModuleAvailable = module,
        KvmClockAvailable = kvmClock,
        PtpUdevRules = rules ?? [],
        ServiceManager = ServiceManager.Systemd,
        ChronyService = "chronyd",
    };

    [Fact]
    public void A_loaded_kvm_clock_without_a_stable_name_gets_the_udev_rule_and_chrony_reads_dev_ptp_kvm()
    {
        var plan = ChronyConfigPlanner.Plan(Facts([new PtpClock("/dev/ptp0", "KVM virtual PTP")]), Ptp, Now);
        Assert.Equal("/dev/ptp_kvm", plan.PhcDevice);
        Assert.Contains("refclock PHC /dev/ptp_kvm poll 2", plan.ManagedLines);
        Assert.Equal(PtpKvmPlan.ModulesLoad, plan.Changes.Files.Single(f => f.Path == "/etc/modules-load.d/kvmtime-ptp_kvm.conf").NewContent);
        Assert.Contains("ATTR{clock_name}==\"KVM virtual PTP\", SYMLINK += \"ptp_kvm\"", plan.Changes.Files.Single(f => f.Path == TimeSyncConfigReader.UdevRulePath).NewContent, StringComparison.Ordinal);
        Assert.DoesNotContain("modprobe ptp_kvm", plan.Changes.Commands);
        Assert.Equal("udevadm control --reload", plan.Changes.Commands[0]);
        Assert.Equal("systemctl restart chronyd.service", plan.Changes.Commands[^1]);
        Assert.Equal("^#,\\*,PHC", plan.SelectedRegex);
    }

    [Fact]
    public void A_clock_that_is_not_loaded_yet_is_loaded_now_and_at_every_boot()
    {
        var plan = ChronyConfigPlanner.Plan(Facts([]), Ptp, Now);
        Assert.Equal("modprobe ptp_kvm", plan.Changes.Commands[0]);
        Assert.Contains(plan.Changes.Files, f => f.Path == TimeSyncConfigReader.ModulesLoadPath);
    }

    [Fact]
    public void With_the_stable_name_already_there_only_chrony_changes()
    {
        var facts = Facts([new PtpClock("/dev/ptp0", "KVM virtual PTP")], link: "/dev/ptp0", rules: ["/usr/lib/udev/rules.d/50-udev-default.rules"]);
        var plan = ChronyConfigPlanner.Plan(facts, Ptp, Now);
        Assert.DoesNotContain(plan.Changes.Files, f => f.Path == TimeSyncConfigReader.UdevRulePath);
        Assert.DoesNotContain(plan.Changes.Commands, c => c.StartsWith("udevadm", StringComparison.Ordinal));
        var again = ChronyConfigPlanner.Plan(After(facts, plan), Ptp, Now);
        Assert.False(again.IsChange);
    }

    [Fact]
    public void Without_udev_the_numbered_device_is_used_with_a_warning()
    {
        var plan = ChronyConfigPlanner.Plan(Facts([new PtpClock("/dev/ptp1", "KVM virtual PTP"), new PtpClock("/dev/ptp0", "e1000e")], udev: false), Ptp, Now);
        Assert.Equal("/dev/ptp1", plan.PhcDevice);
        Assert.Contains(plan.Warnings, w => w.Contains("/dev/ptp1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, true, "no kvm-clock")]
    [InlineData(true, false, "ptp_kvm module is not available")]
    public void A_guest_that_cannot_have_the_kvm_clock_fails_with_PtpKvmUnavailable(bool kvmClock, bool module, string why)
    {
        // TCG guests (the lab) have no kvm-clock; the other PTP clock is a NIC's, not the host's.
        var e = Assert.Throws<KvmTimeException>(() => ChronyConfigPlanner.Plan(Facts([new PtpClock("/dev/ptp0", "e1000e")], kvmClock: kvmClock, module: module), Ptp, Now));
        Assert.Equal("PtpKvmUnavailable", e.ErrorId);
        Assert.Equal(FailureKind.ResourceUnavailable, e.Kind);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", e.Message, StringComparison.Ordinal);
    }
}
