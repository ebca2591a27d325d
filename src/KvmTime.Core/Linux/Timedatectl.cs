using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>What systemd-timesyncd reports through timedatectl timesync-status and timedatectl show.</summary>
/// <param name="Offset">System clock minus the server: positive when the clock is ahead (timedatectl prints the correction).</param>
internal sealed record TimesyncStatus(string? Server, int? Stratum, TimeSpan? Offset, double? FrequencyPpm, string? Leap);

/// <summary>Parses timedatectl's key=value (show) and human (timesync-status) output.</summary>
internal static partial class Timedatectl
{
    /// <summary>"NTPSynchronized=yes" and friends, by key.</summary>
    public static IReadOnlyDictionary<string, string> ParseShow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return LabelledLines.Parse(text, '=');
    }

    public static TimesyncStatus? ParseTimesyncStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = LabelledLines.Parse(text, ':');

        if (!fields.TryGetValue("Server", out var server))
        {
            return null;
        }

        // timesyncd's offset is the correction (server minus local), as in NTP; negate it.
        var offset = fields.TryGetValue("Offset", out var o) ? ParseTimespan(o) : null;
        double? frequency = fields.TryGetValue("Frequency", out var f) && ChronyTracking.TryDouble(f.Replace("ppm", string.Empty, StringComparison.Ordinal), out var ppm)
            ? -ppm
            : null;
        return new TimesyncStatus(
            server,
            fields.TryGetValue("Stratum", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var stratum) ? stratum + 1 : null,
            offset is { } correction ? -correction : null,
            frequency,
            fields.GetValueOrDefault("Leap"));
    }

    /// <summary>A signed systemd time span: "-1.126ms", "+1h 2min 3.5s", "+500us".</summary>
    public static TimeSpan? ParseTimespan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var negative = trimmed.StartsWith('-');
        var total = 0.0;
        var any = false;
        foreach (Match part in TimespanPart().Matches(trimmed.TrimStart('+', '-')))
        {
            if (!double.TryParse(part.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            total += value * part.Groups["u"].Value switch
            {
                "ns" => 1e-9,
                "us" or "μs" => 1e-6,
                "ms" => 1e-3,
                "min" => 60,
                "h" => 3600,
                "d" => 86400,
                "w" => 604800,
                _ => 1,
            };
            any = true;
        }

        return any ? TimeRange.FromSeconds(negative ? -total : total) : null;
    }

    // ASCII digits only; a number starts where no digit or point comes before it, and has bounded
    // length, so a long digit run costs one look at each character instead of a scan from each.
    [GeneratedRegex(@"(?<![0-9.])(?<n>[0-9]{1,15}(?:\.[0-9]{1,12})?)(?<u>ns|us|μs|ms|min|s|h|d|w)")]
    private static partial Regex TimespanPart();
}
