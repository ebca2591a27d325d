using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>The clock settings of a libvirt domain definition: &lt;clock&gt; and &lt;features&gt;&lt;hyperv&gt;.</summary>
public sealed record DomainClockSettings(string Offset, IReadOnlyList<DomainTimer> Timers, IReadOnlyList<HyperVEnlightenment> HyperV);

/// <summary>Reads the clock settings out of `virsh dumpxml` output.</summary>
public static class DomainClockXml
{
    public static XElement LoadDomain(string xml, string domain)
    {
        ArgumentNullException.ThrowIfNull(xml);
        try
        {
            var root = XDocument.Parse(xml).Root;
            if (root?.Name.LocalName == "domain")
            {
                return root;
            }
        }
        catch (XmlException e)
        {
            throw Unreadable(domain, e.Message);
        }

        throw Unreadable(domain, "the document is not a <domain>");
    }

    public static DomainClockSettings Read(XElement domainElement)
    {
        ArgumentNullException.ThrowIfNull(domainElement);
        var clock = domainElement.Element("clock");
        var timers = clock?.Elements("timer").Select(ReadTimer).ToList() ?? [];
        var hyperv = domainElement.Element("features")?.Element("hyperv")?.Elements().Select(ReadEnlightenment).ToList() ?? [];
        return new DomainClockSettings((string?)clock?.Attribute("offset") ?? "utc", timers, hyperv);
    }

    public static KvmDomainClock ToModel(DomainClockSettings settings, string computerName, string domain, string uri, string state, string? matchesPreset)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new KvmDomainClock
        {
            ComputerName = computerName,
            Domain = domain,
            LibvirtUri = uri,
            State = state,
            Offset = settings.Offset,
            Timers = settings.Timers,
            HyperV = settings.HyperV,
            MatchesPreset = matchesPreset,
        };
    }

    private static DomainTimer ReadTimer(XElement timer) => new()
    {
        Name = (string?)timer.Attribute("name") ?? string.Empty,
        Present = (string?)timer.Attribute("present") switch { "yes" => true, "no" => false, _ => null },
        TickPolicy = (string?)timer.Attribute("tickpolicy"),
        Track = (string?)timer.Attribute("track"),
        Frequency = long.TryParse((string?)timer.Attribute("frequency"), NumberStyles.None, CultureInfo.InvariantCulture, out var hz) ? hz : null,
        Mode = (string?)timer.Attribute("mode"),
    };

    private static HyperVEnlightenment ReadEnlightenment(XElement element) => new()
    {
        Name = element.Name.LocalName,
        Enabled = (string?)element.Attribute("state") == "on",
        Value = (string?)element.Attribute("retries") ?? (string?)element.Attribute("value"),
    };

    private static KvmTimeException Unreadable(string domain, string why) => new("DomainXmlInvalid", FailureKind.InvalidData,
        $"The definition of domain '{domain}' could not be read as libvirt XML ({why}). Check it with 'virsh dumpxml {domain}'.");
}
