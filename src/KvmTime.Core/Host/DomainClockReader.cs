using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>One domain's definition as read from the host, or why it could not be read.</summary>
internal sealed record DomainDefinition(string Domain, string State, string Xml);

/// <summary>Reads domains' definitions and clocks from what <see cref="DomainClockScripts.Read"/> gathered.</summary>
internal static class DomainClockReader
{
    /// <summary>The definition of the <paramref name="index"/>th domain; throws its own error when that one failed.</summary>
    public static DomainDefinition Definition(GatherResult gathered, int index, string domain, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var state = gathered.Get(DomainClockScripts.Key("state", index));
        var xml = gathered.Get(DomainClockScripts.Key("xml", index));
        foreach (var value in new[] { state, xml })
        {
            if (value is null)
            {
                throw new KvmTimeException(ErrorIds.VirshFailed, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.VirshNoAnswer, computerName, domain)) { ComputerName = computerName };
            }

            if (!value.Succeeded)
            {
                throw VirshFailures.Classify(value.Text, value.ExitCode, computerName, domain);
            }
        }

        return new DomainDefinition(domain, state!.Text.Trim(), xml!.Text);
    }

    public static KvmDomainClock Clock(DomainDefinition definition, string uri, string computerName)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var settings = DomainClockXml.Read(DomainClockXml.LoadDomain(definition.Xml, definition.Domain));
        return DomainClockXml.ToModel(settings, computerName, definition.Domain, uri, definition.State,
            DomainClockPlanner.MatchingPreset(definition.Domain, definition.Xml));
    }
}
