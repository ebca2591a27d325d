using System.Xml.Linq;
using KvmTime.Host;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Host;

/// <summary>
/// Real domain XML from virt-install, OpenStack nova, oVirt, a cloud's virsh dumpxml and libvirt's own
/// tests (each file's header names its source): every clock attribute is read, and no change loses one
/// without listing it.
/// </summary>
public class DomainClockRoundTripTests
{
    public static TheoryData<string> RealDomains => new()
    {
        "libvirt/ovirt-vdsm-rhev73-variable-offset.xml",
        "libvirt/openstack-nova-rhosp10-instance.xml",
        "libvirt/virt-install-kvm-win10.xml",
        "libvirt/ucloud-dumpxml-timezone-offset.xml",
        "libvirt/libvirt-tests-cpu-tsc-frequency-invtsc.xml",
        "libvirt/lab-domain-debian12-libvirt9.xml",
        "libvirt/windows-preset-libvirt9.xml",
        "libvirt/virt-install-kvm-win2k3-localtime-hypervclock.xml",
        "libvirt/virt-install-kvm-rhel7-utc-timers.xml",
        "libvirt/libvirt-tests-clock-absolute.xml",
        "libvirt/libvirt-tests-clock-hpet-off.xml",
        "libvirt/insights-numa-pinned-clock-utc-no-timers.xml",
        "libvirt/insights-rhel74-haswell-guest.xml",
        "libvirt/insights-rhosp-numa-host-passthrough.xml",
    };

    private static readonly Dictionary<string, Func<DomainClockChange>> Changes = new()
    {
        ["-Preset Linux"] = () => DomainClockChange.Create("Linux", null, [], []),
        ["-Preset Windows"] = () => DomainClockChange.Create("Windows", null, [], []),
        ["-Offset localtime"] = () => DomainClockChange.Create(null, "localtime", [], []),
        ["-Timer kvmclock"] = () => DomainClockChange.Create(null, null, [new DomainTimer { Name = "kvmclock", Present = true }], []),
        ["-RemoveTimer hpet"] = () => DomainClockChange.Create(null, null, [], ["hpet"]),
    };

    [Fact]
    public void Every_clock_attribute_of_the_real_domains_is_read()
    {
        var ovirt = Read("libvirt/ovirt-vdsm-rhev73-variable-offset.xml");
        Assert.Equal(("variable", "1", "utc", (string?)null), (ovirt.Offset, ovirt.Adjustment, ovirt.Basis, ovirt.Timezone));

        var ucloud = Read("libvirt/ucloud-dumpxml-timezone-offset.xml");
        Assert.Equal(("timezone", "Asia/Shanghai"), (ucloud.Offset, ucloud.Timezone));
        Assert.Equal(["hypervclock(present=yes)", "rtc(tickpolicy=catchup,track=guest)"], ucloud.Timers.Select(t => t.ToString()));

        var tsc = Read("libvirt/libvirt-tests-cpu-tsc-frequency-invtsc.xml");
        Assert.Equal(4567890000, tsc.Timers.Single().Frequency);
        Assert.Equal("require", tsc.InvariantTsc);

        var handWritten = Read("libvirt/win10-virt-install-partial-hyperv.xml");
        Assert.Equal("rtc(tickpolicy=catchup,track=guest,catchup=threshold:123/slew:120/limit:10000)", handWritten.Timers.Single(t => t.Name == "rtc").ToString());
    }

    [Fact]
    public void Linux_preset_on_a_variable_offset_drops_adjustment_and_basis_and_says_so()
    {
        var xml = SampleFiles.Read("libvirt/ovirt-vdsm-rhev73-variable-offset.xml");
        Assert.Null(DomainClockPlanner.MatchingPreset("vm", xml));

        var plan = DomainClockPlanner.Plan("vm", xml, "running", DomainClockChange.Create("Linux", null, [], []));

        Assert.Equal(["offset: variable -> utc", "adjustment: 1 -> (absent)", "basis: utc -> (absent)"], plan.Changes);
        Assert.Contains("    <clock offset='utc'>\n      <timer name='rtc' tickpolicy='catchup'/>", plan.NewXml, StringComparison.Ordinal);
        Assert.DoesNotContain("adjustment=", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains("-    <clock offset='variable' adjustment='1' basis='utc'>", plan.Diff, StringComparison.Ordinal);
        Assert.Equal("Linux", DomainClockPlanner.MatchingPreset("vm", plan.NewXml));
    }

    [Fact]
    public void Linux_preset_on_an_absolute_offset_drops_start_and_says_so()
    {
        var xml = SampleFiles.Read("libvirt/libvirt-tests-clock-absolute.xml");
        Assert.Equal("253402300799", Read("libvirt/libvirt-tests-clock-absolute.xml").Start);

        var plan = DomainClockPlanner.Plan("vm", xml, "shut off", DomainClockChange.Create("Linux", null, [], []));

        Assert.Contains("start: 253402300799 -> (absent)", plan.Changes);
        Assert.DoesNotContain("start=", plan.NewXml, StringComparison.Ordinal);
        Assert.Equal("Linux", DomainClockPlanner.MatchingPreset("vm", plan.NewXml));
    }

    [Fact]
    public void A_clock_that_differs_from_a_preset_only_in_adjustment_does_not_match_it()
    {
        var xml = SampleFiles.Read("libvirt/openstack-nova-rhosp10-instance.xml");
        Assert.Equal("Linux", DomainClockPlanner.MatchingPreset("vm", xml));

        var adjusted = xml.Replace("<clock offset='utc'>", "<clock offset='utc' adjustment='3600'>", StringComparison.Ordinal);
        Assert.Null(DomainClockPlanner.MatchingPreset("vm", adjusted));
        Assert.Equal(["adjustment: 3600 -> (absent)"], DomainClockPlanner.Plan("vm", adjusted, "shut off", DomainClockChange.Create("Linux", null, [], [])).Changes);
    }

    [Fact]
    public void Presets_keep_the_tsc_timer_and_note_it_and_invtsc()
    {
        var xml = SampleFiles.Read("libvirt/libvirt-tests-cpu-tsc-frequency-invtsc.xml");

        var plan = DomainClockPlanner.Plan("QEMUGuest1", xml, "shut off", DomainClockChange.Create("Linux", null, [], []));

        Assert.Contains("    <timer name='hpet' present='no'/>\n    <timer name='tsc' frequency='4567890000'/>\n  </clock>", plan.NewXml, StringComparison.Ordinal);
        Assert.Contains(plan.Notes, n => n.StartsWith("timer tsc(frequency=4567890000) is kept", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Contains("invtsc feature (policy require)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Changes, c => c.StartsWith("timer tsc", StringComparison.Ordinal));
    }

    [Fact]
    public void A_preset_that_removes_a_timer_says_so_in_the_changes_the_notes_and_the_diff()
    {
        var xml = SampleFiles.Read("libvirt/ucloud-dumpxml-timezone-offset.xml");

        var plan = DomainClockPlanner.Plan("vm", xml, "running", DomainClockChange.Create("Linux", null, [], []));

        Assert.Contains("timer hypervclock: hypervclock(present=yes) -> (absent)", plan.Changes);
        Assert.Contains("timezone: Asia/Shanghai -> (absent)", plan.Changes);
        Assert.Contains(plan.Notes, n => n.StartsWith("timer hypervclock(present=yes) is removed", StringComparison.Ordinal));
        Assert.Contains("-  <timer name='hypervclock' present='yes'/>", plan.Diff.Replace("\n-    ", "\n-  ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_tickpolicy_away_from_catchup_removes_the_catchup_element_and_lists_it()
    {
        var xml = SampleFiles.Read("libvirt/win10-virt-install-partial-hyperv.xml");
        var change = DomainClockChange.Create(null, null, [new DomainTimer { Name = "rtc", TickPolicy = "delay" }], []);

        var plan = DomainClockPlanner.Plan("win10", xml, "shut off", change);

        Assert.Equal(["timer rtc: rtc(tickpolicy=catchup,track=guest,catchup=threshold:123/slew:120/limit:10000) -> rtc(tickpolicy=delay,track=guest)"], plan.Changes);
        Assert.Contains("<timer name='rtc' tickpolicy='delay' track='guest'/>", plan.NewXml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RealDomains))]
    public void No_change_loses_an_attribute_it_does_not_list_and_the_second_plan_is_a_no_op(string sample)
    {
        var xml = SampleFiles.Read(sample);
        foreach (var (name, make) in Changes)
        {
            var change = make();
            DomainClockPlan plan;
            try
            {
                plan = DomainClockPlanner.Plan("vm", xml, "shut off", change);
            }
            catch (KvmTime.Targets.KvmTimeException e) when (e.ErrorId == "InvalidClockCombination")
            {
                continue; // refused before anything is written: nothing can be lost
            }

            var before = XDocument.Parse(xml).Root!;
            var after = XDocument.Parse(plan.NewXml).Root!;
            Assert.True(XNode.DeepEquals(WithoutClock(before), WithoutClock(after)), $"{sample} {name}: something outside <clock> and <hyperv> changed");

            var lost = Facts(before.Element("clock")).Except(Facts(after.Element("clock"))).ToList();
            foreach (var fact in lost)
            {
                Assert.True(plan.Changes.Any(c => c.StartsWith(fact.Split('|')[0], StringComparison.Ordinal)), $"{sample} {name}: '{fact}' was lost without a change line: {string.Join("; ", plan.Changes)}");
            }

            var second = DomainClockPlanner.Plan("vm", plan.NewXml, "shut off", change);
            Assert.False(second.IsChange, $"{sample} {name}: the second plan still changes {string.Join("; ", second.Changes)}");
            if (change.Preset is not null)
            {
                Assert.Equal(change.Preset, DomainClockPlanner.MatchingPreset("vm", plan.NewXml));
            }
        }
    }

    private static KvmDomainClock Read(string sample)
    {
        var xml = SampleFiles.Read(sample);
        return DomainClockReader.Clock(new DomainDefinition("vm", "shut off", xml), LibvirtNames.DefaultUri, "host");
    }

    private static XElement WithoutClock(XElement domain)
    {
        var copy = new XElement(domain);
        copy.Element("clock")?.Remove();
        copy.Element("features")?.Element("hyperv")?.Remove();
        // A preset that adds <hyperv> to a domain without <features> adds the container too.
        copy.Elements("features").Where(f => !f.HasElements && !f.HasAttributes).Remove();
        return copy;
    }

    /// <summary>Every attribute in &lt;clock&gt; as "line prefix|attribute=value", the prefix being how the planner's change line for it starts.</summary>
    private static IEnumerable<string> Facts(XElement? clock)
    {
        if (clock is null)
        {
            yield break;
        }

        foreach (var attribute in clock.Attributes())
        {
            yield return $"{attribute.Name.LocalName}:|{attribute.Value}";
        }

        foreach (var timer in clock.Elements("timer"))
        {
            foreach (var attribute in timer.DescendantsAndSelf().SelectMany(e => e.Attributes()))
            {
                yield return $"timer {(string?)timer.Attribute("name")}:|{attribute.Parent!.Name.LocalName}.{attribute.Name.LocalName}={attribute.Value}";
            }
        }
    }
}
