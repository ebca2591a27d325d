using System.Globalization;
using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>Which leap, stratum and offset ntpd reports for itself (ntpq -c rv).</summary>
/// <param name="Offset">System clock minus true time: positive when the clock is ahead.</param>
/// <param name="FrequencyPpm">Positive when the uncorrected clock runs fast (ntpd's correction, negated).</param>
internal sealed record NtpdSystemVariables(string LeapStatus, int? Stratum, TimeSpan? Offset, double? FrequencyPpm)
{
    public bool IsSynchronized => LeapStatus != "Not synchronised";
}

/// <summary>
/// Parses ntpq -p of ntp (4.2.x) and ntpsec, and ntpq -c rv. ntpq's offset is the source minus the
/// local clock in milliseconds (NTP's definition); it is negated so that positive means the local
/// clock is ahead, like chrony's.
/// </summary>
internal static class NtpqPeers
{
    public static IReadOnlyList<TimeSourceInfo> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var peers = new List<TimeSourceInfo>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length < 2 || line.TrimStart().StartsWith("remote", StringComparison.Ordinal) || line.StartsWith("===", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || !ChronyTracking.TryDouble(f[8], out var offsetMs))
            {
                continue;
            }

            peers.Add(new TimeSourceInfo
            {
                Name = f[0],
                State = StateOf(line[0]),
                Stratum = int.TryParse(f[2], CultureInfo.InvariantCulture, out var stratum) ? stratum : null,
                Reach = f[6],
                LastSampleAgeSeconds = ChronySources.Age(f[4]),
                Offset = f[6] != "0" ? ChronyTracking.Seconds(-offsetMs / 1000) : null,
                MeasuredOffset = f[6] != "0" ? ChronyTracking.Seconds(-offsetMs / 1000) : null,
            });
        }

        return peers;
    }

    /// <summary>"leap=00, stratum=3, offset=-0.611, frequency=-12.345" (the order and extra fields vary).</summary>
    public static NtpdSystemVariables? ParseSystemVariables(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[pair[..eq].Trim()] = pair[(eq + 1)..].Trim().Trim('"');
            }
        }

        if (!values.TryGetValue("leap", out var leap))
        {
            return null;
        }

        return new NtpdSystemVariables(
            leap switch { "00" or "0" => "Normal", "01" or "1" => "Insert second", "10" or "2" => "Delete second", _ => "Not synchronised" },
            values.TryGetValue("stratum", out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var stratum) && stratum < 16 ? stratum : null,
            values.TryGetValue("offset", out var o) && ChronyTracking.TryDouble(o, out var ms) ? ChronyTracking.Seconds(-ms / 1000) : null,
            values.TryGetValue("frequency", out var fr) && ChronyTracking.TryDouble(fr, out var ppm) ? -ppm : null);
    }

    private static string StateOf(char tally) => tally switch
    {
        '*' or 'o' => "Selected",
        '+' or '#' => "Candidate",
        '-' => "Outlier",
        'x' => "Falseticker",
        '.' => "Excess",
        _ => "None",
    };
}
