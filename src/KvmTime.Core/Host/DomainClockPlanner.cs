using System.Globalization;
using System.Xml.Linq;
using KvmTime.Changes;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>Turns a domain's XML and a <see cref="DomainClockChange"/> into the new XML; pure, so -WhatIf shows exactly what define gets.</summary>
internal static class DomainClockPlanner
{
    // libvirt writes <hyperv> children in this order; new ones go to their place so the re-read matches the plan.
    private static readonly string[] HyperVOrder =
    [
        "relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset", "vendor_id",
        "frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic", "emsr_bitmap", "xmm_input",
    ];

    private static readonly string[] TimerAttributeOrder = ["name", "present", "tickpolicy", "track", "frequency", "mode"];

    /// <param name="state">virsh domstate; anything but "shut off" means the guest runs on the old clock until it is powered off and started.</param>
    public static DomainClockPlan Plan(string domain, string xml, string state, DomainClockChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var root = DomainClockXml.LoadDomain(xml, domain);
        var before = DomainClockXml.Read(root);

        var oldClock = root.Element("clock");
        var clock = oldClock is null ? new XElement("clock", new XAttribute("offset", "utc")) : new XElement(oldClock);
        ApplyClock(clock, change);
        var oldHyperV = root.Element("features")?.Element("hyperv");
        var hyperv = oldHyperV is null ? new XElement("hyperv") : new XElement(oldHyperV);
        ApplyHyperV(hyperv, change.HyperV);

        var edited = new XElement(root);
        edited.Element("clock")?.Remove();
        edited.Add(clock);
        if (change.HyperV.Count > 0)
        {
            var features = edited.Element("features") ?? new XElement("features");
            features.Element("hyperv")?.Remove();
            features.Add(hyperv);
            if (features.Parent is null)
            {
                edited.Add(features);
            }
        }

        var after = DomainClockXml.Read(edited);
        CheckDependencies(domain, after);
        var changes = Describe(before, after);
        if (changes.Count == 0)
        {
            return new DomainClockPlan(domain, state, xml, xml, changes, string.Empty, false);
        }

        var notes = DomainClockNotes.For(before, after, change);

        var newXml = oldClock is null
            ? LibvirtXmlText.InsertBefore(xml, clock, "on_poweroff", "on_reboot", "on_crash", "pm", "devices", "/domain")
            : LibvirtXmlText.Replace(xml, oldClock, clock);
        if (change.HyperV.Count > 0 && !XNode.DeepEquals(oldHyperV, hyperv))
        {
            newXml = SpliceHyperV(newXml, root, oldHyperV, hyperv);
        }

        return new DomainClockPlan(domain, state, xml, newXml, changes, UnifiedDiff.Create($"/{domain}.xml", xml, newXml), state != "shut off") { Notes = notes };
    }

    /// <summary>The named preset the settings already satisfy, if any.</summary>
    public static string? MatchingPreset(string domain, string xml) =>
        DomainClockPresets.Names.FirstOrDefault(name => Satisfies(domain, xml, DomainClockPresets.Get(name)));

    private static bool Satisfies(string domain, string xml, DomainClockChange change)
    {
        try
        {
            return !Plan(domain, xml, "shut off", change).IsChange;
        }
        catch (KvmTimeException e) when (e.ErrorId == ErrorIds.InvalidClockCombination)
        {
            return false;
        }
    }

    private static void ApplyClock(XElement clock, DomainClockChange change)
    {
        if (change.Offset is not null)
        {
            // utc and localtime need none of these: a kept adjustment would start the guest that many seconds
            // off, and libvirt accepts start only with offset='absolute'.
            clock.SetAttributeValue("offset", change.Offset);
            clock.SetAttributeValue("adjustment", null);
            clock.SetAttributeValue("basis", null);
            clock.SetAttributeValue("timezone", null);
            clock.SetAttributeValue("start", null); // only valid with offset='absolute'
        }

        if (change.ReplaceTimers)
        {
            var kept = change.Timers.Select(t => clock.Elements("timer").FirstOrDefault(e => SameTimer(e, t)) ?? TimerElement(t)).ToList();
            kept.AddRange(clock.Elements("timer").Where(e => KeptByPresets(e, change)).Select(e => new XElement(e)));
            clock.Elements("timer").Remove();
            clock.Add(kept);
        }
        else
        {
            foreach (var setting in change.Timers)
            {
                MergeTimer(clock, setting);
            }
        }

        clock.Elements("timer").Where(e => change.RemoveTimers.Contains((string?)e.Attribute("name"))).Remove();
    }

    private static void MergeTimer(XElement clock, DomainTimer setting)
    {
        var element = clock.Elements("timer").FirstOrDefault(e => (string?)e.Attribute("name") == setting.Name);
        if (element is null)
        {
            clock.Add(TimerElement(setting));
            return;
        }

        foreach (var (name, value) in setting.Attributes())
        {
            element.SetAttributeValue(name, value);
        }

        element.ReplaceAttributes(element.Attributes().OrderBy(a => Rank(TimerAttributeOrder, a.Name.LocalName)).ToList());
        if ((string?)element.Attribute("tickpolicy") != "catchup")
        {
            // libvirt accepts <catchup> only under tickpolicy='catchup'.
            element.Elements("catchup").Remove();
        }
    }

    private static bool KeptByPresets(XElement timer, DomainClockChange change)
    {
        var name = (string?)timer.Attribute("name");
        return DomainClockPresets.KeptTimers.Contains(name) && change.Timers.All(t => t.Name != name);
    }

    private static void ApplyHyperV(XElement hyperv, IReadOnlyList<HyperVSetting> settings)
    {
        foreach (var setting in settings)
        {
            var element = hyperv.Element(setting.Name);
            if (element is null)
            {
                element = new XElement(setting.Name);
                hyperv.Add(element);
            }

            element.SetAttributeValue("state", setting.Enabled ? "on" : "off");
            if (setting.Value is not null)
            {
                element.SetAttributeValue(setting.Name == "spinlocks" ? "retries" : "value", setting.Value);
            }
        }

        hyperv.ReplaceNodes(hyperv.Elements().OrderBy(e => Rank(HyperVOrder, e.Name.LocalName)).ToList());
    }

    private static string SpliceHyperV(string xml, XElement root, XElement? oldHyperV, XElement hyperv)
    {
        if (oldHyperV is not null)
        {
            return LibvirtXmlText.Replace(xml, oldHyperV, hyperv);
        }

        var features = root.Element("features");
        if (features is null)
        {
            return LibvirtXmlText.InsertBefore(xml, new XElement("features", hyperv), "cpu", "clock");
        }

        return features.HasElements
            ? LibvirtXmlText.InsertBefore(xml, hyperv, "/features")
            : LibvirtXmlText.Replace(xml, features, new XElement(features.Name, features.Attributes(), hyperv));
    }

    private static void CheckDependencies(string domain, DomainClockSettings after)
    {
        bool On(string name) => after.HyperV.Any(h => h.Name == name && h.Enabled);
        if (!On("stimer"))
        {
            return;
        }

        var missing = new[] { "synic", "vpindex" }.Where(n => !On(n)).ToList();
        if (!after.Timers.Any(t => t.Name == "hypervclock" && t.Present == true))
        {
            missing.Add("the hypervclock timer");
        }

        if (missing.Count > 0)
        {
            throw new KvmTimeException(ErrorIds.InvalidClockCombination, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidClockCombination, domain, string.Join(" and ", missing)));
        }
    }

    private static List<string> Describe(DomainClockSettings before, DomainClockSettings after)
    {
        var changes = new List<string>();
        if (before.Offset != after.Offset)
        {
            changes.Add($"offset: {before.Offset} -> {after.Offset}");
        }

        foreach (var ((name, old), (_, now)) in before.OffsetDetails().Zip(after.OffsetDetails()))
        {
            if (old != now)
            {
                changes.Add($"{name}: {old ?? "(absent)"} -> {now ?? "(absent)"}");
            }
        }

        foreach (var name in before.Timers.Select(t => t.Name).Union(after.Timers.Select(t => t.Name)))
        {
            var old = before.Timers.FirstOrDefault(t => t.Name == name)?.ToString() ?? "(absent)";
            var now = after.Timers.FirstOrDefault(t => t.Name == name)?.ToString() ?? "(absent)";
            if (old != now)
            {
                changes.Add($"timer {name}: {old} -> {now}");
            }
        }

        foreach (var name in before.HyperV.Select(h => h.Name).Union(after.HyperV.Select(h => h.Name)))
        {
            var old = before.HyperV.FirstOrDefault(h => h.Name == name)?.ToString() ?? $"{name} (absent)";
            var now = after.HyperV.FirstOrDefault(h => h.Name == name)?.ToString() ?? $"{name} (absent)";
            if (old != now)
            {
                changes.Add($"hyperv {old} -> {now}");
            }
        }

        return changes;
    }

    private static bool SameTimer(XElement element, DomainTimer timer) => XNode.DeepEquals(element, TimerElement(timer));

    private static XElement TimerElement(DomainTimer timer)
    {
        var element = new XElement("timer", new XAttribute("name", timer.Name), timer.Attributes().Select(a => new XAttribute(a.Name, a.Value)));
        var catchup = timer.CatchupAttributes().Select(a => new XAttribute(a.Name, a.Value)).ToList();
        if (catchup.Count > 0)
        {
            element.Add(new XElement("catchup", catchup));
        }

        return element;
    }

    private static int Rank(string[] order, string name)
    {
        var index = Array.IndexOf(order, name);
        return index < 0 ? order.Length : index;
    }
}
