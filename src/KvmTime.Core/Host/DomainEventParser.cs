using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmTime.Host;

/// <summary>
/// Reads <c>virsh event --all --timestamp</c> output: one event per line,
/// <c>2026-12-05 21:07:14.052+0000: event 'lifecycle' for domain 'web01': Resumed Unpaused</c>.
/// Lines that are not events (virsh's "events received: N", "event loop timed out", errors) are skipped.
/// </summary>
internal static partial class DomainEventParser
{
    private const int MaxLineLength = 4096;

    public static IReadOnlyList<DomainEvent> ParseAll(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n').Select(Parse).OfType<DomainEvent>().ToList();
    }

    public static DomainEvent? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // virsh's lines are short; a longer one is not an event, and the cap keeps matching linear.
        var match = line.Length > MaxLineLength ? Match.Empty : EventLine().Match(line.TrimEnd('\r'));
        if (!match.Success)
        {
            return null;
        }

        return new DomainEvent(ParseTime(match.Groups["time"].Value), match.Groups["type"].Value, match.Groups["domain"].Value, match.Groups["detail"].Value.Trim());
    }

    // virsh prints "%Y-%m-%d %H:%M:%S.mmm+zzzz" (strftime %z, no colon).
    private static DateTime? ParseTime(string text) =>
        text.Length > 0 && DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss.fffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.UtcDateTime
            : null;

    // The domain name is taken up to the last "': ", so a name holding a quote still parses.
    [GeneratedRegex(@"^(?:(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}[+-]\d{4}): )?event '(?<type>[a-z0-9-]+)' for domain '(?<domain>[^\n]+)': ?(?<detail>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex EventLine();
}
