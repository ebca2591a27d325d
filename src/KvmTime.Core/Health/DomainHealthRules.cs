using System.Xml.Linq;
using KvmTime.Host;
using KvmTime.Model;

namespace KvmTime.Health;

/// <summary>
/// Judges one running domain of a KVM host: from its definition (what Set-KvmDomainClock edits and the
/// next start gets) a Windows guest's Hyper-V clock and RTC offset and whether the guest agent channel
/// exists; from its live XML whether the agent is connected now.
/// </summary>
internal static class DomainHealthRules
{
    public const string AgentChannel = "org.qemu.guest_agent.0";

    public static IEnumerable<HealthFinding> Evaluate(RunningDomain domain, FixCommand fix)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(fix);
        var root = DomainClockXml.LoadDomain(domain.DefinitionXml, domain.Name);
        var clock = DomainClockXml.Read(root);
        var source = $"virsh dumpxml --inactive {domain.Name}";
        var windows = WindowsEvidence(root, clock);
        if (windows is not null)
        {
            var presetFix = fix.For("Set-KvmDomainClock", ("Domain", domain.Name), ("Preset", "Windows"));
            if (!clock.Timers.Any(t => t.Name == "hypervclock" && t.Present == true))
            {
                yield return Warning(domain, HealthFindingIds.WindowsDomainWithoutHypervclock,
                    $"The Windows domain '{domain.Name}' ({windows}) has no Hyper-V clock (hypervclock), so Windows falls back to the HPET, RTC or an unreliable TSC and drifts under load; a changed definition applies when the domain is shut down and started again.",
                    ClockElement(root), source, presetFix);
            }

            if (clock.Offset == "utc")
            {
                yield return Warning(domain, HealthFindingIds.DomainRtcOffsetMismatch,
                    $"The Windows domain '{domain.Name}' ({windows}) gives its RTC in UTC, but Windows reads the RTC as local time unless its registry sets RealTimeIsUniversal=1: the guest boots off by its zone offset. Leave it only if Test-KvmTimeHealth on the guest reports {HealthFindingIds.WindowsRtcIsUniversal}.",
                    ClockElement(root), source, presetFix);
            }
        }

        var channel = AgentTarget(root);
        if (channel is null)
        {
            yield return Warning(domain, HealthFindingIds.GuestAgentMissing,
                $"The domain '{domain.Name}' has no {AgentChannel} channel, so its clock cannot be stepped from the host after a pause, restore or migration (Sync-GuestTime, Watch-GuestTime). Add the channel <channel type='unix'><target type='virtio' name='{AgentChannel}'/></channel> and run qemu-guest-agent in the guest.",
                $"no <channel> with <target name='{AgentChannel}'/> among {root.Element("devices")?.Elements("channel").Count() ?? 0} channel(s)", source);
        }
        else if (AgentTarget(DomainClockXml.LoadDomain(domain.LiveXml, domain.Name)) is { } live && (string?)live.Attribute("state") == "disconnected")
        {
            yield return Warning(domain, HealthFindingIds.GuestAgentNotConnected,
                $"The guest agent channel of '{domain.Name}' is disconnected: no qemu-guest-agent answers inside the guest, so the host cannot step its clock after a pause, restore or migration. Install and start qemu-guest-agent in the guest.",
                live.ToString(SaveOptions.DisableFormatting), $"virsh dumpxml {domain.Name}");
        }
    }

    // Every finding about a domain is a warning about that domain.
    private static HealthFinding Warning(RunningDomain domain, string id, string message, string evidence, string source, string? fix = null) => new()
    {
        Id = id,
        Severity = HealthFindingSeverity.Warning,
        Subject = domain.Name,
        Message = message,
        Evidence = evidence,
        EvidenceSource = source,
        Fix = fix,
    };

    private static XElement? AgentTarget(XElement root) =>
        root.Element("devices")?.Elements("channel").Select(c => c.Element("target")).FirstOrDefault(t => (string?)t?.Attribute("name") == AgentChannel);

    /// <summary>Why the domain counts as Windows (libosinfo's OS id, or Hyper-V enlightenments), or null.</summary>
    public static string? WindowsEvidence(XElement root, DomainClockSettings clock)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(clock);
        var os = root.Element("metadata")?.Elements().Where(e => e.Name.LocalName == "libosinfo")
            .Elements().FirstOrDefault(e => e.Name.LocalName == "os")?.Attribute("id")?.Value;
        if (os is not null)
        {
            return os.Contains("microsoft.com/win", StringComparison.OrdinalIgnoreCase) ? "libosinfo " + os : null;
        }

        return clock.HyperV.Count > 0 ? "Hyper-V enlightenments " + string.Join(",", clock.HyperV.Select(h => h.Name)) : null;
    }

    private static string ClockElement(XElement root) =>
        root.Element("clock")?.ToString(SaveOptions.DisableFormatting) ?? "no <clock> element (offset utc by default)";
}
