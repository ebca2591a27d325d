using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// Edits domain XML as text, the way libvirt formats it (two-space indent, single-quoted
/// attributes), so that the diff -WhatIf shows holds only the elements that change and the rest
/// of the definition reaches `virsh define` byte for byte.
/// </summary>
internal static class LibvirtXmlText
{
    /// <summary>Replaces the one top-level element equal to <paramref name="current"/> with <paramref name="replacement"/>.</summary>
    public static string Replace(string xml, XElement current, XElement replacement)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        var name = current.Name.LocalName;
        var element = new Regex($@"\G<{name}(?=[\s/>])[^>]*?(?:/>|>.*?</{name}\s*>)", RegexOptions.Singleline | RegexOptions.CultureInvariant, MatchTimeout);
        // Every start tag is a candidate, also one inside a comment or <metadata> that would swallow the real one;
        // the element itself is the last span that parses equal to it, so the search runs from the end.
        Match? span;
        try
        {
            span = Regex.Matches(xml, $@"<{name}(?=[\s/>])", RegexOptions.CultureInvariant, MatchTimeout)
                .Reverse()
                .Select(start => element.Match(xml, start.Index))
                .FirstOrDefault(m => m.Success && ParsesEqual(m.Value, current));
        }
        catch (RegexMatchTimeoutException)
        {
            span = null;
        }

        if (span is null)
        {
            throw NotEditable(string.Format(CultureInfo.InvariantCulture, Messages.DomainXmlElementNotFound, name));
        }

        var lineStart = xml.LastIndexOf('\n', Math.Max(span.Index - 1, 0)) + 1;
        var indent = xml.AsSpan(lineStart, span.Index - lineStart).Trim(" \t").IsEmpty ? xml[lineStart..span.Index] : string.Empty;
        var rendered = Render(replacement, indent).TrimEnd('\n')[indent.Length..];
        return string.Concat(xml.AsSpan(0, span.Index), rendered, xml.AsSpan(span.Index + span.Length));
    }

    /// <summary>Inserts <paramref name="element"/> on its own line before the first line that opens one of <paramref name="before"/> (or closes it, for "/name").</summary>
    public static string InsertBefore(string xml, XElement element, params string[] before)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentNullException.ThrowIfNull(before);
        foreach (var name in before)
        {
            // Anchored at line starts with no nested quantifier: linear, so the timeout is only a backstop.
            var line = Regex.Match(xml, $@"^(?<indent>[ \t]*)<{Regex.Escape(name)}(?=[\s/>])", RegexOptions.Multiline | RegexOptions.CultureInvariant, Regex.InfiniteMatchTimeout);
            if (line.Success)
            {
                var indent = line.Groups["indent"].Value;
                if (name.StartsWith('/'))
                {
                    indent += "  ";
                }

                return xml.Insert(line.Index, Render(element, indent));
            }
        }

        throw NotEditable(string.Format(CultureInfo.InvariantCulture, Messages.DomainXmlNoAnchorLine, string.Join(">, <", before)));
    }

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The XML parsed, but its text is not laid out as libvirt writes it, so it cannot be edited in place.</summary>
    private static KvmTimeException NotEditable(string why) => new(ErrorIds.DomainXmlNotEditable, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.DomainXmlNotEditable, why));

    /// <summary>The element as libvirt prints it: one element per line, attributes in single quotes.</summary>
    public static string Render(XElement element, string indent)
    {
        ArgumentNullException.ThrowIfNull(element);
        var text = new StringBuilder();
        Render(text, element, indent);
        return text.ToString();
    }

    private static void Render(StringBuilder text, XElement element, string indent)
    {
        text.Append(indent).Append('<').Append(element.Name.LocalName);
        foreach (var attribute in element.Attributes())
        {
            text.Append(' ').Append(attribute.Name.LocalName).Append("='").Append(Escape(attribute.Value)).Append('\'');
        }

        var children = element.Elements().ToList();
        if (children.Count > 0)
        {
            text.Append(">\n");
            foreach (var child in children)
            {
                Render(text, child, indent + "  ");
            }

            text.Append(indent).Append("</").Append(element.Name.LocalName).Append(">\n");
        }
        else if (element.Value.Length > 0)
        {
            text.Append('>').Append(Escape(element.Value)).Append("</").Append(element.Name.LocalName).Append(">\n");
        }
        else
        {
            text.Append("/>\n");
        }
    }

    private static bool ParsesEqual(string candidate, XElement element)
    {
        try
        {
            return XNode.DeepEquals(XElement.Parse(candidate), Normalized(element));
        }
        catch (System.Xml.XmlException)
        {
            return false;
        }
    }

    private static XElement Normalized(XElement element) => XElement.Parse(element.ToString(SaveOptions.DisableFormatting));

    private static string Escape(string value) => value
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("'", "&apos;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
