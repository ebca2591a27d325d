using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The clock settings of a libvirt domain definition: every attribute of &lt;clock&gt; (formatdomain
/// "Time keeping"), its timers, &lt;features&gt;&lt;hyperv&gt;, and whether &lt;cpu&gt; names invtsc.
/// </summary>
internal sealed record DomainClockSettings(
    string Offset,
    string? Adjustment,
    string? Basis,
    string? Timezone,
    IReadOnlyList<DomainTimer> Timers,
    IReadOnlyList<HyperVEnlightenment> HyperV,
    string? InvariantTsc = null,
    string? Start = null)
{
    /// <summary>The &lt;clock&gt; attributes other than offset, by name, as libvirt orders them.</summary>
    public IEnumerable<(string Name, string? Value)> OffsetDetails() => [("adjustment", Adjustment), ("basis", Basis), ("timezone", Timezone), ("start", Start)];
}

/// <summary>Reads the clock settings out of `virsh dumpxml` output.</summary>
internal static class DomainClockXml
{
    public static XElement LoadDomain(string xml, string domain)
    {
        ArgumentNullException.ThrowIfNull(xml);
        try
        {
            RequireShallow(xml, domain);
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

        throw Unreadable(domain, Messages.DomainXmlNotDomain);
    }

    /// <summary>
    /// Libvirt's XML is a few levels deep. The XML reader resolves each element's namespace through
    /// every enclosing scope, so thousands of unclosed elements cost quadratic time: refuse them early.
    /// </summary>
    private const int MaxDepth = 128;

    private static void RequireShallow(string xml, string domain)
    {
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                throw Unreadable(domain, string.Format(CultureInfo.InvariantCulture, Messages.DomainXmlTooDeep, MaxDepth, ((IXmlLineInfo)reader).LineNumber));
            }
        }
    }

    public static DomainClockSettings Read(XElement domainElement)
    {
        ArgumentNullException.ThrowIfNull(domainElement);
        var clock = domainElement.Element("clock");
        var timers = clock?.Elements("timer").Select(ReadTimer).ToList() ?? [];
        var hyperv = domainElement.Element("features")?.Element("hyperv")?.Elements().Select(ReadEnlightenment).ToList() ?? [];
        var invtsc = domainElement.Element("cpu")?.Elements("feature").FirstOrDefault(f => (string?)f.Attribute("name") == "invtsc");
        return new DomainClockSettings(
            (string?)clock?.Attribute("offset") ?? "utc",
            (string?)clock?.Attribute("adjustment"),
            (string?)clock?.Attribute("basis"),
            (string?)clock?.Attribute("timezone"),
            timers,
            hyperv,
            invtsc is null ? null : (string?)invtsc.Attribute("policy") ?? "require",
            (string?)clock?.Attribute("start"));
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
            Adjustment = settings.Adjustment,
            Basis = settings.Basis,
            Timezone = settings.Timezone,
            Start = settings.Start,
            InvariantTsc = settings.InvariantTsc,
            Timers = settings.Timers,
            HyperV = settings.HyperV,
            MatchesPreset = matchesPreset,
        };
    }

    private static DomainTimer ReadTimer(XElement timer)
    {
        var catchup = timer.Element("catchup");
        return new()
        {
            Name = (string?)timer.Attribute("name") ?? string.Empty,
            Present = (string?)timer.Attribute("present") switch { "yes" => true, "no" => false, _ => null },
            TickPolicy = (string?)timer.Attribute("tickpolicy"),
            Track = (string?)timer.Attribute("track"),
            Frequency = Number(timer.Attribute("frequency")),
            Mode = (string?)timer.Attribute("mode"),
            CatchupThreshold = Number(catchup?.Attribute("threshold")),
            CatchupSlew = Number(catchup?.Attribute("slew")),
            CatchupLimit = Number(catchup?.Attribute("limit")),
        };
    }

    private static long? Number(XAttribute? attribute) =>
        long.TryParse((string?)attribute, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static HyperVEnlightenment ReadEnlightenment(XElement element) => new()
    {
        Name = element.Name.LocalName,
        Enabled = (string?)element.Attribute("state") == "on",
        Value = (string?)element.Attribute("retries") ?? (string?)element.Attribute("value"),
    };

    private static KvmTimeException Unreadable(string domain, string why) => new(ErrorIds.DomainXmlInvalid, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.DomainXmlInvalid, domain, why));
}
