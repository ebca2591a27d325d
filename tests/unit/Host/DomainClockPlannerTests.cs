using System.Xml.Linq;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Host;

/// <summary>The planner on real `virsh dumpxml` output from the lab (libvirt 9.0) and a virt-install Windows domain.</summary>
public class DomainClockPlannerTests
{
    private static readonly string LabXml = SampleFiles.Read("libvirt/lab-domain-debian12-libvirt9.xml");
    private static readonly string WindowsXml = SampleFiles.Read("libvirt/windows-preset-libvirt9.xml");
    private static readonly string Win10Xml = SampleFiles.Read("libvirt/win10-virt-install-partial-hyperv.xml");

    private static DomainClockChange Preset(string name) => DomainClockChange.Create(name, null, [], []);

    [Fact]
    public void Linux_preset_replaces_only_the_clock_element_of_the_recorded_output()
    {
        var plan = DomainClockPlanner.Plan("win-lab-1", LabXml, "running", Preset("Linux"));

        Assert.True(plan.IsChange);
        Assert.True(plan.RestartRequired);
        Assert.Contains("""
              <clock offset='utc'>
                <timer name='rtc' tickpolicy='catchup'/>
                <timer name='pit' tickpolicy='delay'/>
                <timer name='hpet' present='no'/>
              </clock>
              <on_poweroff>
            """, plan.NewXml, StringComparison.Ordinal);
        Assert.Equal(LabXml.Replace("  <clock offset='utc'/>\n", string.Empty, StringComparison.Ordinal),
            RemoveLines(plan.NewXml, "<clock", "<timer", "</clock>"));
        Assert.Equal(["timer rtc: (absent) -> rtc(tickpolicy=catchup)", "timer pit: (absent) -> pit(tickpolicy=delay)", "timer hpet: (absent) -> hpet(present=no)"], plan.Changes);
        var changed = plan.Diff.Split('\n').Where(l => l.Length > 1 && l[0] is '+' or '-' && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal));
        Assert.All(changed, l => Assert.Matches("clock|timer", l));
    }

    [Fact]
    public void A_second_plan_on_the_new_xml_changes_nothing()
    {
        var first = DomainClockPlanner.Plan("win-lab-1", LabXml, "running", Preset("Linux"));
        var second = DomainClockPlanner.Plan("win-lab-1", first.NewXml, "running", Preset("Linux"));

        Assert.False(second.IsChange);
        Assert.False(second.RestartRequired);
        Assert.Equal(first.NewXml, second.NewXml);
        Assert.Equal("Linux", DomainClockPlanner.MatchingPreset("win-lab-1", first.NewXml));
    }

    [Fact]
    public void Windows_preset_is_already_satisfied_by_libvirts_own_rewrite_recorded_output()
    {
        // libvirt 9 added mode='custom' to <hyperv> on define; that must not count as a difference.
        Assert.Contains("<hyperv mode='custom'>", WindowsXml, StringComparison.Ordinal);
        Assert.False(DomainClockPlanner.Plan("win-lab-1-copy", WindowsXml, "shut off", Preset("Windows")).IsChange);
        Assert.Equal("Windows", DomainClockPlanner.MatchingPreset("win-lab-1-copy", WindowsXml));
        Assert.Null(DomainClockPlanner.MatchingPreset("win-lab-1", LabXml));
    }

    [Fact]
    public void Windows_preset_adds_hypervclock_and_stimer_with_synic_and_vpindex()
    {
        var plan = DomainClockPlanner.Plan("win-lab-1", LabXml, "shut off", Preset("Windows"));
        var settings = DomainClockXml.Read(DomainClockXml.LoadDomain(plan.NewXml, "win-lab-1"));

        Assert.False(plan.RestartRequired);
        Assert.Equal("localtime", settings.Offset);
        Assert.Contains(settings.Timers, t => t.Name == "hypervclock" && t.Present == true);
        Assert.All(new[] { "stimer", "synic", "vpindex", "relaxed", "vapic", "runtime", "frequencies", "tlbflush", "ipi" },
            name => Assert.Contains(settings.HyperV, h => h.Name == name && h.Enabled));
        Assert.Equal("8191", settings.HyperV.Single(h => h.Name == "spinlocks").Value);
        Assert.Contains("    <apic/>\n    <hyperv>\n      <relaxed state='on'/>", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_preset_keeps_other_enlightenments_and_fixes_spinlocks_in_libvirts_order()
    {
        var plan = DomainClockPlanner.Plan("win10", Win10Xml, "running", Preset("Windows"));
        var hyperv = DomainClockXml.Read(DomainClockXml.LoadDomain(plan.NewXml, "win10")).HyperV;

        Assert.Equal("KVM Hv", hyperv.Single(h => h.Name == "vendor_id").Value);
        Assert.Contains("hyperv spinlocks=4096 -> spinlocks=8191", plan.Changes);
        Assert.Equal(["relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "vendor_id", "frequencies", "tlbflush", "ipi"], hyperv.Select(h => h.Name));
        Assert.Contains("<hyperv mode='custom'>", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("passwd='s3cret'", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_clock_inside_metadata_is_left_alone()
    {
        var plan = DomainClockPlanner.Plan("win10", Win10Xml, "running", Preset("Linux"));

        Assert.Contains("    <ops:notes xmlns:ops=\"http://example.org/ops/1.0\">\n      <clock offset='utc'/>\n", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("  <clock offset='utc'>\n    <timer name='rtc' tickpolicy='catchup'/>", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("offset: localtime -> utc", plan.Changes);
    }

    [Fact]
    public void A_single_timer_setting_merges_and_keeps_the_rest_of_the_clock()
    {
        var change = DomainClockChange.Create(null, null, [new DomainTimer { Name = "kvmclock", Present = true }, new DomainTimer { Name = "PIT", TickPolicy = "Discard" }], []);
        var plan = DomainClockPlanner.Plan("win10", Win10Xml, "running", change);

        Assert.Equal(["timer pit: pit(tickpolicy=delay) -> pit(tickpolicy=discard)", "timer kvmclock: (absent) -> kvmclock(present=yes)"], plan.Changes);
        Assert.Contains("""
                <timer name='rtc' tickpolicy='catchup' track='guest'>
                  <catchup threshold='123' slew='120' limit='10000'/>
                </timer>
            """, plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("<clock offset='localtime'>", plan.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveTimer_deletes_it_and_a_missing_clock_element_is_inserted_before_on_poweroff()
    {
        var removed = DomainClockPlanner.Plan("win10", Win10Xml, "shut off", DomainClockChange.Create(null, null, [], ["hpet"]));
        Assert.Equal(["timer hpet: hpet(present=no) -> (absent)"], removed.Changes);
        Assert.DoesNotContain("name='hpet'", removed.NewXml, StringComparison.Ordinal);

        var noClock = LabXml.Replace("  <clock offset='utc'/>\n", string.Empty, StringComparison.Ordinal);
        var inserted = DomainClockPlanner.Plan("win-lab-1", noClock, "shut off", Preset("Linux"));
        Assert.Contains("migratable='off'/>\n  <clock offset='utc'>\n    <timer name='rtc'", inserted.NewXml, StringComparison.Ordinal);
        Assert.Contains("  </clock>\n  <on_poweroff>", inserted.NewXml, StringComparison.Ordinal);
    }

    [Fact]
    public void Linux_preset_on_a_domain_with_stimer_is_refused_because_stimer_needs_hypervclock()
    {
        var e = Assert.Throws<KvmTimeException>(() => DomainClockPlanner.Plan("win-lab-1-copy", WindowsXml, "shut off", Preset("Linux")));
        Assert.Equal("InvalidClockCombination", e.ErrorId);
        Assert.Contains("hypervclock", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Solaris", null, "InvalidPreset")]
    [InlineData(null, "variable", "InvalidClockOffset")]
    [InlineData(null, null, "NoClockChangeGiven")]
    public void Bad_presets_and_offsets_fail_with_their_own_error(string? preset, string? offset, string errorId)
    {
        var e = Assert.Throws<KvmTimeException>(() => DomainClockChange.Create(preset, offset, [], []));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Timer_hashtables_are_validated_key_by_key()
    {
        var hpet = DomainClockRules.TimerFrom(new System.Collections.Hashtable { ["name"] = "HPET", ["Present"] = false });
        Assert.Equal("hpet(present=no)", hpet.ToString());
        var tsc = DomainClockRules.TimerFrom(new System.Collections.Hashtable { ["Name"] = "tsc", ["Frequency"] = "2500000000", ["Mode"] = "native" });
        Assert.Equal("tsc(frequency=2500000000,mode=native)", tsc.ToString());

        foreach (var bad in new[]
        {
            new System.Collections.Hashtable { ["Name"] = "pit", ["Track"] = "guest" },
            new System.Collections.Hashtable { ["Name"] = "rtc", ["TickPolicy"] = "slew" },
            new System.Collections.Hashtable { ["Name"] = "rtc", ["Colour"] = "red" },
            new System.Collections.Hashtable { ["Present"] = "no" },
            new System.Collections.Hashtable { ["Name"] = "hpet", ["Present"] = "maybe" },
            new System.Collections.Hashtable { ["Name"] = "hpet", ["Frequency"] = "100" },
        })
        {
            Assert.Equal("InvalidTimerSetting", Assert.Throws<KvmTimeException>(() => DomainClockRules.TimerFrom(bad)).ErrorId);
        }
    }

    [Fact]
    public void Hyper_v_element_is_rendered_the_way_libvirt_prints_it()
    {
        var element = new XElement("vendor_id", new XAttribute("state", "on"), new XAttribute("value", "a'b<c"));
        Assert.Equal("  <vendor_id state='on' value='a&apos;b&lt;c'/>\n", LibvirtXmlText.Render(element, "  "));
    }

    private static string RemoveLines(string text, params string[] markers) =>
        string.Concat(text.Split('\n').Select(l => l + "\n").Where(l => !markers.Any(m => l.TrimStart().StartsWith(m, StringComparison.Ordinal))))[..^1];
}
