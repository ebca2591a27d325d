using KvmTime.Linux;
using KvmTime.Linux.TimeSyncConfig;
using Xunit;

namespace KvmTime.Tests.TimeSyncConfig;

public sealed class ChronyDropInsTests
{
    [Fact]
    public void Debian_12_stock_config_names_conf_d_for_settings_and_sources_d_for_sources()
    {
        var found = ChronyDropIns.Find(ChronyDirective.Parse(TimeSyncFactsBuilder.DebianStock));
        Assert.Equal("/etc/chrony/conf.d/kvmtime.conf", found.SettingsFile);
        // /run/chrony-dhcp comes first but is not persistent: the /etc one is used.
        Assert.Equal("/etc/chrony/sources.d/kvmtime.sources", found.SourcesFile);
    }

    [Theory]
    [InlineData("include /etc/chrony.d/*.conf", "/etc/chrony.d/kvmtime.conf")]
    [InlineData("INCLUDE /etc/chrony/extra/*.cfg", "/etc/chrony/extra/kvmtime.cfg")]
    [InlineData("include /etc/chrony.d/local.conf", null)]
    [InlineData("#confdir /etc/chrony/conf.d", null)]
    [InlineData("confdir relative/dir", null)]
    public void Only_directories_chrony_really_reads_are_used(string line, string? expected)
    {
        // hand-written directive lines
        Assert.Equal(expected, ChronyDropIns.Find(ChronyDirective.Parse(line + "\n")).SettingsFile);
    }

    [Fact]
    public void Comment_characters_of_chrony_conf_are_all_recognised()
    {
        Assert.Empty(ChronyDirective.Parse("! a\n; b\n# c\n% d\n   # e\n\n"));
        Assert.Equal("refclock", Assert.Single(ChronyDirective.Parse("RefClock PHC /dev/ptp0:nocrossts poll 3\n")).Name);
        Assert.Equal("/dev/ptp0", ChronyDirective.Parse("refclock PHC /dev/ptp0:nocrossts poll 3\n")[0].PhcDevice);
    }

    [Fact]
    public void Real_chronyc_sources_with_a_selected_phc_refclock_parse()
    {
        var rpi = ChronySources.Parse(SampleFiles.ReadBody("timesync/real/chronyc-sources-phc-ntp-rpi.txt"));
        Assert.Equal(6, rpi.Count);
        Assert.Equal("PHC0", Assert.Single(rpi, s => s.IsSelected).Name);
        Assert.Equal(TimeSpan.FromTicks(0), rpi[0].Offset); // +1ns rounds to zero ticks
        Assert.Equal("NotCombined", rpi.Single(s => s.Name == "ptbtime2.ptb.de").State);
    }

    [Fact]
    public void A_published_phc_row_with_a_garbled_sample_still_shows_the_selected_refclock()
    {
        var kvm = Assert.Single(ChronySources.Parse(SampleFiles.ReadBody("timesync/real/chronyc-sources-phc-ptp_kvm-mtl.txt")));
        Assert.Equal("PHC0", kvm.Name);
        Assert.True(kvm.IsSelected);
        Assert.Equal("377", kvm.Reach);
        Assert.Null(kvm.Offset); // "-1n[" is no unit chrony prints
    }

    [Fact]
    public void Selected_regexes_match_chronyc_csv_rows()
    {
        // the CSV form of the lab's own chronyc 4.3 output (tests/unit/Samples/timesync/chrony-4.3-lab-sources.csv)
        var csv = SampleFiles.Read("timesync/chrony-4.3-lab-sources.csv");
        Assert.Contains(csv.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, "^.,\\*,"));
        Assert.DoesNotContain(csv.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, "^#,\\*,PHC"));
    }
}

public sealed class ChronyEffectiveConfigTests
{
    [Fact]
    public void Drop_ins_stand_at_the_confdir_line_so_a_later_makestep_still_overrides_them()
    {
        var stock = TimeSyncFactsBuilder.DebianStock;
        var effective = ChronyDropIns.Effective(stock, "makestep 1 -1\n");
        var makesteps = ChronyDirective.Parse(effective).Where(d => d.Name == "makestep").Select(d => d.ToString()).ToList();
        Assert.Equal(["makestep 1 -1", "makestep 1 3"], makesteps);
        Assert.Contains(ChronyConfigAdvisor.Advise(effective, ptpKvmAvailable: false), a => a.Contains("'makestep 1 3'", StringComparison.Ordinal));
    }

    [Fact]
    public void After_Set_GuestTimeSync_the_advisor_finds_nothing_missing()
    {
        var facts = TimeSyncFactsBuilder.Chrony(TimeSyncFactsBuilder.DebianStock);
        var plan = ChronyConfigPlanner.Plan(facts, new TimeSyncConfigRequest { Preset = GuestTimeSyncPreset.Vm }, TimeSyncFactsBuilder.Now);
        var after = TimeSyncFactsBuilder.After(facts, plan);
        var effective = ChronyDropIns.Effective(after.ChronyConf!.Content!, after.DropInFiles.Single().Content);
        Assert.Empty(ChronyConfigAdvisor.Advise(effective, ptpKvmAvailable: false));
    }

    [Fact]
    public void Without_confdir_or_include_the_drop_in_text_is_not_read()
    {
        Assert.Equal("server 192.0.2.1\n", ChronyDropIns.Effective("server 192.0.2.1\n", "makestep 1 -1\n"));
    }
}
