using KvmTime.Health;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Health;

/// <summary>The KVM host findings of Test-KvmTimeHealth on real domain XML: Windows clocks and guest agent channels.</summary>
public class DomainHealthTests
{
    private static string Xml(string name) => SampleFiles.Read("libvirt/" + name);

    [Fact]
    public void The_lab_guest_with_a_connected_agent_has_no_domain_finding_recorded()
    {
        var health = new HealthInputs().Domains(("wt20a-lab-1", Xml("lab-live-agent-connected-libvirt9.xml"))).Check("-ComputerName kvm01");

        Assert.True(health.IsKvmHost);
        Assert.Equal(1, health.DomainCount);
        Assert.Empty(health.Findings);
    }

    [Fact]
    public void A_disconnected_agent_channel_is_a_finding_with_the_channel_as_evidence_recorded()
    {
        var health = new HealthInputs().Domains(("wt20a-lab-1", Xml("lab-live-agent-disconnected-libvirt9.xml"))).Check("-ComputerName kvm01");

        var finding = HealthInputs.Only(health, HealthFindingIds.GuestAgentNotConnected);
        Assert.Equal("wt20a-lab-1", finding.Subject);
        Assert.Equal("<target type=\"virtio\" name=\"org.qemu.guest_agent.0\" state=\"disconnected\" />", finding.Evidence);
        Assert.Equal("virsh dumpxml wt20a-lab-1", finding.EvidenceSource);
        Assert.Equal(HealthVerdict.Warning, health.Verdict);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void The_clock_is_judged_on_the_definition_and_the_agent_state_on_the_live_xml_recorded()
    {
        // The lab guest's recorded XML with Hyper-V enlightenments added to its definition only (edited here): the
        // Windows findings can come only from the definition, the disconnected agent only from the live XML.
        var definition = Xml("lab-live-agent-connected-libvirt9.xml").Replace("<features>", "<features><hyperv mode='custom'><relaxed state='on'/></hyperv>", StringComparison.Ordinal);
        var health = new HealthInputs().Domains(new RunningDomain("wt20a-lab-1", definition, Xml("lab-live-agent-disconnected-libvirt9.xml"))).Check("-ComputerName kvm01");

        Assert.Equal(
            [HealthFindingIds.DomainRtcOffsetMismatch, HealthFindingIds.GuestAgentNotConnected, HealthFindingIds.WindowsDomainWithoutHypervclock],
            health.Findings.Select(f => f.Id));
        Assert.Equal("virsh dumpxml --inactive wt20a-lab-1", HealthInputs.Only(health, HealthFindingIds.DomainRtcOffsetMismatch).EvidenceSource);
    }

    [Fact]
    public void A_domain_without_the_agent_channel_is_missing_its_agent_real()
    {
        // oVirt's guest has only its vdsm channel.
        var health = new HealthInputs().Domains(("rhev73", Xml("ovirt-vdsm-rhev73-variable-offset.xml"))).Check("-ComputerName kvm01");

        var finding = HealthInputs.Only(health, HealthFindingIds.GuestAgentMissing);
        Assert.Equal("rhev73", finding.Subject);
        Assert.Contains("among 1 channel(s)", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_domain_whose_xml_is_cut_short_is_left_out_with_a_warning_and_the_others_are_judged_real_cut_in_the_test()
    {
        var cut = Xml("virt-install-kvm-win10.xml")[..400];
        var inputs = new HealthInputs().Domains(("broken", cut), ("rhev73", Xml("ovirt-vdsm-rhev73-variable-offset.xml")));
        var health = inputs.Check("-ComputerName kvm01");

        Assert.Equal(2, health.DomainCount);
        Assert.Equal("rhev73", Assert.Single(health.Findings).Subject);
        Assert.StartsWith("domain 'broken' was not checked:", Assert.Single(inputs.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Virt_installs_windows_10_domain_has_hypervclock_and_localtime_real()
    {
        var health = new HealthInputs().Domains(("win10", Xml("virt-install-kvm-win10.xml"))).Check("-ComputerName kvm01");

        Assert.DoesNotContain(health.Findings, f => f.Id is HealthFindingIds.WindowsDomainWithoutHypervclock or HealthFindingIds.DomainRtcOffsetMismatch);
    }

    [Fact]
    public void A_windows_domain_without_hypervclock_on_utc_gets_the_windows_preset_as_fix_real_edited_in_the_test()
    {
        // virt-install's real Windows 10 domain, with two edits made here: no hypervclock timer, and offset utc.
        var xml = Xml("virt-install-kvm-win10.xml")
            .Replace("<timer name=\"hypervclock\" present=\"yes\"/>", string.Empty, StringComparison.Ordinal)
            .Replace("<clock offset=\"localtime\">", "<clock offset=\"utc\">", StringComparison.Ordinal);
        var health = new HealthInputs().Domains(("win10", xml)).Check("-ComputerName kvm01");

        var hypervclock = HealthInputs.Only(health, HealthFindingIds.WindowsDomainWithoutHypervclock);
        var offset = HealthInputs.Only(health, HealthFindingIds.DomainRtcOffsetMismatch);
        Assert.Equal("Set-KvmDomainClock -ComputerName kvm01 -Domain win10 -Preset Windows", hypervclock.Fix);
        Assert.Equal(hypervclock.Fix, offset.Fix);
        Assert.Contains("libosinfo http://microsoft.com/win/10", offset.Message, StringComparison.Ordinal);
        Assert.StartsWith("<clock offset=\"utc\">", offset.Evidence, StringComparison.Ordinal);
        Assert.All(health.Findings, f => Assert.Equal("win10", f.Subject));
    }

    [Fact]
    public void A_domain_with_hyperv_enlightenments_counts_as_windows_without_libosinfo_real()
    {
        // UCloud's guest: offset timezone, hypervclock, no libosinfo metadata.
        var health = new HealthInputs().Domains(("uc1", Xml("ucloud-dumpxml-timezone-offset.xml"))).Check("-ComputerName kvm01");

        Assert.DoesNotContain(health.Findings, f => f.Id is HealthFindingIds.WindowsDomainWithoutHypervclock or HealthFindingIds.DomainRtcOffsetMismatch);
    }

    [Fact]
    public void Linux_domains_on_utc_without_hypervclock_are_not_judged_as_windows_real()
    {
        var health = new HealthInputs().Domains(("rhel7", Xml("virt-install-kvm-rhel7-utc-timers.xml")), ("lab", Xml("lab-live-agent-connected-libvirt9.xml"))).Check("-ComputerName kvm01");

        Assert.Equal(2, health.DomainCount);
        Assert.DoesNotContain(health.Findings, f => f.Id is HealthFindingIds.WindowsDomainWithoutHypervclock or HealthFindingIds.DomainRtcOffsetMismatch);
    }
}
