using KvmTime.Linux.Boot;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.TimeSyncConfig.TimeSyncFactsBuilder;

namespace KvmTime.Tests.TimeSyncConfig;

public sealed class ChronyConfigPlannerTests
{
    private static readonly TimeSyncConfigRequest Vm = new() { Preset = GuestTimeSyncPreset.Vm };

    [Fact]
    public void Vm_preset_on_debian_12_stock_config_writes_a_confdir_drop_in_and_disables_the_later_makestep()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock), Vm, Now);

        var dropIn = Assert.Single(plan.Changes.Files, f => f.Path == "/etc/chrony/conf.d/kvmtime.conf");
        Assert.Null(dropIn.OldContent);
        Assert.Null(dropIn.BackupPath);
        Assert.Equal("# Written by KvmTime Set-GuestTimeSync, which rewrites this file; change it with Set-GuestTimeSync.\nmakestep 1 -1\nrtcsync\n", dropIn.NewContent);
        var main = Assert.Single(plan.Changes.Files, f => f.Path == "/etc/chrony/chrony.conf");
        Assert.Equal("/etc/chrony/chrony.conf.kvmtime-20261205T220000000Z", main.BackupPath);
        Assert.Contains("\n#makestep 1 3  # disabled by KvmTime Set-GuestTimeSync: makestep is set in /etc/chrony/conf.d/kvmtime.conf\n", main.NewContent, StringComparison.Ordinal);
        // Only that line changes: the rest of Debian's file stays byte for byte.
        Assert.Equal(DebianStock.Replace("\nmakestep 1 3\n", "\n\n", StringComparison.Ordinal).Length, main.NewContent.Replace("\n#makestep 1 3  # disabled by KvmTime Set-GuestTimeSync: makestep is set in /etc/chrony/conf.d/kvmtime.conf\n", "\n\n", StringComparison.Ordinal).Length);
        Assert.Equal(["systemctl restart chrony.service"], plan.Changes.Commands);
        Assert.Equal(["makestep 1 -1", "rtcsync"], plan.ManagedLines);
        Assert.Contains("+makestep 1 -1", plan.Describe(), StringComparison.Ordinal);
        Assert.Contains("# verify: wait up to 45 s for 'chronyc -n -c sources' to show a source selected", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_identical_run_changes_nothing()
    {
        var facts = Chrony(DebianStock);
        var first = ChronyConfigPlanner.Plan(facts, Vm, Now);
        var second = ChronyConfigPlanner.Plan(After(facts, first), Vm, Now.AddMinutes(1));
        Assert.False(second.IsChange);
        Assert.Empty(second.Changes.Commands);
    }

    [Fact]
    public void Without_an_include_the_settings_go_into_a_marked_block_that_a_later_run_merges_into()
    {
        var conf = SampleFiles.Read("timesync/chrony-debian.conf");
        var facts = Chrony(conf);
        var first = ChronyConfigPlanner.Plan(facts, Vm, Now);
        var main = Assert.Single(first.Changes.Files);
        Assert.EndsWith(ChronyConfText.BlockBegin + "\nmakestep 1 -1\nrtcsync\n" + ChronyConfText.BlockEnd + "\n", main.NewContent, StringComparison.Ordinal);
        Assert.Contains(first.Warnings, w => w.Contains("marked block", StringComparison.Ordinal));

        var again = ChronyConfigPlanner.Plan(After(facts, first), Vm, Now);
        Assert.False(again.IsChange);

        var ptpFacts = After(facts, first);
        var withClock = new TimeSyncConfigFacts
        {
            ComputerName = ptpFacts.ComputerName, RunningDaemons = ptpFacts.RunningDaemons, ChronyConf = ptpFacts.ChronyConf, ServiceManager = ServiceManager.Systemd, ChronyService = "chrony",
            PtpClocks = [new PtpClock("/dev/ptp0", "KVM virtual PTP")], PtpKvmLink = "/dev/ptp0", KvmClockAvailable = true, PtpKvmModuleAvailable = true, HasUdev = true,
            PtpKvmLoadedAtBootBy = ["/etc/modules-load.d/ptp_kvm.conf"],
        };
        var ptp = ChronyConfigPlanner.Plan(withClock, new TimeSyncConfigRequest { PtpKvm = true }, Now);
        var merged = Assert.Single(ptp.Changes.Files).NewContent;
        Assert.Single(merged.Split('\n'), l => l == ChronyConfText.BlockBegin);
        Assert.Contains(ChronyConfText.BlockBegin + "\nmakestep 1 -1\nrtcsync\nrefclock PHC /dev/ptp_kvm poll 2\n" + ChronyConfText.BlockEnd, merged, StringComparison.Ordinal);
    }

    [Fact]
    public void An_include_glob_places_the_drop_in_in_its_directory_with_its_suffix()
    {
        // hand-written: openSUSE's chrony.conf includes /etc/chrony.d/*.conf
        var plan = ChronyConfigPlanner.Plan(Chrony("pool 2.opensuse.pool.ntp.org iburst\ninclude /etc/chrony.d/*.conf\ndriftfile /var/lib/chrony/drift\n", "/etc/chrony.conf"), Vm, Now);
        Assert.Contains(plan.Changes.Files, f => f.Path == "/etc/chrony.d/kvmtime.conf");
        Assert.DoesNotContain(plan.Changes.Files, f => f.Path == "/etc/chrony.conf");
    }

    [Fact]
    public void Servers_go_into_the_sourcedir_and_replace_the_pool_and_a_later_change_only_reloads_sources()
    {
        var facts = Chrony(DebianStock);
        var plan = ChronyConfigPlanner.Plan(facts, new TimeSyncConfigRequest { Servers = ["ntp1.example.net", "192.0.2.10"] }, Now);
        var sources = Assert.Single(plan.Changes.Files, f => f.Path == "/etc/chrony/sources.d/kvmtime.sources");
        Assert.EndsWith("server ntp1.example.net iburst\nserver 192.0.2.10 iburst\n", sources.NewContent, StringComparison.Ordinal);
        var main = Assert.Single(plan.Changes.Files, f => f.Path == "/etc/chrony/chrony.conf");
        Assert.Contains("\n#pool 2.debian.pool.ntp.org iburst  # disabled by KvmTime Set-GuestTimeSync: the sources are set in /etc/chrony/sources.d/kvmtime.sources\n", main.NewContent, StringComparison.Ordinal);
        Assert.Equal("systemctl restart chrony.service", plan.Changes.Commands[^1]);
        // A name cannot be matched against chronyc -n's addresses: any selected source counts.
        Assert.Equal("^.,\\*,", plan.SelectedRegex);

        var next = ChronyConfigPlanner.Plan(After(facts, plan), new TimeSyncConfigRequest { Pools = ["pool.ntp.org"] }, Now.AddMinutes(1));
        Assert.Equal(["/etc/chrony/sources.d/kvmtime.sources"], next.Changes.Files.Select(f => f.Path));
        Assert.Equal([ChronyService.ReloadSources], next.Changes.Commands);
    }

    [Fact]
    public void Addresses_given_as_servers_must_be_the_selected_source()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock), new TimeSyncConfigRequest { Servers = ["10.0.2.2", "2001:db8::123"] }, Now);
        Assert.Equal("^.,\\*,(10\\.0\\.2\\.2|2001:db8::123),", plan.SelectedRegex);
        Assert.Matches(plan.SelectedRegex, "^,*,10.0.2.2,8,6,37,34,0.000039408,0.000612892,0.000699319");
        Assert.DoesNotMatch(plan.SelectedRegex, "^,*,10.0.2.3,8,6,37,34,0.000039408,0.000612892,0.000699319");
        Assert.DoesNotMatch(plan.SelectedRegex, "^,*,10.0.242,8,6,37,34,0.000039408,0.000612892,0.000699319");
    }

    [Theory]
    [InlineData("time.google.com", "pool.ntp.org")]
    [InlineData("time.google.com", "time.aws.com")]
    [InlineData("169.254.169.123", "ntp1.example.net")]
    public void Mixing_leap_smears_is_refused_with_the_reason_and_nothing_planned(string first, string second)
    {
        var e = Assert.Throws<KvmTimeException>(() => ChronyConfigPlanner.Plan(Chrony(DebianStock), new TimeSyncConfigRequest { Servers = [first, second] }, Now));
        Assert.Equal("SmearedSourcesMixed", e.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
        Assert.Contains(first, e.Message, StringComparison.Ordinal);
        Assert.Contains("-Force", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Force_configures_the_mix_with_a_warning()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock), new TimeSyncConfigRequest { Servers = ["time.google.com"], Pools = ["pool.ntp.org"], Force = true }, Now);
        Assert.Contains(plan.Warnings, w => w.Contains("-Force", StringComparison.Ordinal));
        Assert.True(plan.IsChange);
    }

    [Fact]
    public void Smeared_sources_only_disable_leapsectz()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock), new TimeSyncConfigRequest { Servers = ["time1.google.com", "time2.google.com"] }, Now);
        var main = Assert.Single(plan.Changes.Files, f => f.Path == "/etc/chrony/chrony.conf").NewContent;
        Assert.Contains("\n#leapsectz right/UTC  # disabled by KvmTime Set-GuestTimeSync: clients of leap-smearing servers must not use leapsectz", main, StringComparison.Ordinal);
    }

    [Fact]
    public void A_smearing_server_beside_the_kvm_phc_is_refused()
    {
        var facts = Chrony(DebianStock);
        var e = Assert.Throws<KvmTimeException>(() => ChronyConfigPlanner.Plan(
            new TimeSyncConfigFacts { ComputerName = "vm7", RunningDaemons = ["chronyd"], ChronyConf = facts.ChronyConf, PtpClocks = [new PtpClock("/dev/ptp0", "KVM virtual PTP")], PtpKvmLink = "/dev/ptp0", ServiceManager = ServiceManager.Systemd },
            new TimeSyncConfigRequest { PtpKvm = true, Servers = ["time.google.com"] }, Now));
        Assert.Equal("SmearedSourcesMixed", e.ErrorId);
        Assert.Contains("PHC /dev/ptp_kvm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rtcfile_keeps_its_place_and_rtcsync_is_not_added()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony("confdir /etc/chrony/conf.d\nserver 192.0.2.1 iburst\nrtcfile /var/lib/chrony/rtc\n"), Vm, Now);
        Assert.Equal(["makestep 1 -1"], plan.ManagedLines);
        Assert.Contains(plan.Warnings, w => w.Contains("rtcfile", StringComparison.Ordinal));
    }

    [Fact]
    public void Rollback_puts_every_old_content_back_and_empties_new_files_to_a_comment()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock), Vm, Now);
        var back = plan.Rollback.Files.ToDictionary(f => f.Path);
        Assert.Equal(DebianStock, back["/etc/chrony/chrony.conf"].NewContent);
        Assert.Equal(ChronyConfigPlanner.RolledBack, back["/etc/chrony/conf.d/kvmtime.conf"].NewContent);
        Assert.Equal(plan.Changes.Files.Single(f => f.Path == "/etc/chrony/conf.d/kvmtime.conf").NewContent, back["/etc/chrony/conf.d/kvmtime.conf"].OldContent);
        Assert.Equal(["systemctl restart chrony.service"], plan.Rollback.Commands);
    }

    [Fact]
    public void Other_drop_ins_that_set_makestep_are_named_in_a_warning()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock, dropIns: [new BootFile("/etc/chrony/conf.d/zz-cloud.conf", "makestep 10 3\n")]), Vm, Now);
        Assert.Contains(plan.Warnings, w => w.Contains("/etc/chrony/conf.d/zz-cloud.conf sets makestep", StringComparison.Ordinal));
    }
}
