using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>
/// Parses chronyc sources, both CSV (-c) and human output, including chrony before 4.0, which
/// printed a "210 Number of sources = N" line first. Offsets keep chrony's sign: positive when the
/// local clock is ahead of the source.
/// </summary>
internal static partial class ChronySources
{
    public static IReadOnlyList<TimeSourceInfo> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sources = new List<TimeSourceInfo>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = line.Contains(',', StringComparison.Ordinal) ? ParseCsvLine(line.Trim()) : ParseHumanLine(line);
            if (source is not null)
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    /// <summary>"^,*,192.0.2.1,2,6,377,34,-0.000012345,-0.000013456,0.000456789".</summary>
    private static TimeSourceInfo? ParseCsvLine(string line)
    {
        var f = line.Split(',');
        if (f.Length < 10 || f[0].Length != 1 || f[1].Length != 1)
        {
            return null;
        }

        return new TimeSourceInfo
        {
            Name = f[2],
            State = StateOf(f[1][0]),
            Stratum = int.TryParse(f[3], CultureInfo.InvariantCulture, out var stratum) ? stratum : null,
            Reach = f[5],
            LastSampleAgeSeconds = Age(f[6]),
            Offset = f[5] != "0" && ChronyTracking.TryDouble(f[7], out var offset) ? ChronyTracking.Seconds(offset) : null,
            MeasuredOffset = f[5] != "0" && ChronyTracking.TryDouble(f[8], out var measured) ? ChronyTracking.Seconds(measured) : null,
        };
    }

    /// <summary>"^* ntp1.example.net               2   6   377    34   -12us[  -13us] +/-  456us".</summary>
    private static TimeSourceInfo? ParseHumanLine(string line)
    {
        var m = HumanRow().Match(line);
        if (!m.Success)
        {
            // A row whose sample column is garbled (as published pages sometimes show it) still says which source is selected.
            var head = HumanRowHead().Match(line);
            return head.Success
                ? new TimeSourceInfo
                {
                    Name = head.Groups["name"].Value,
                    State = StateOf(head.Groups["state"].Value[0]),
                    Stratum = int.TryParse(head.Groups["stratum"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null,
                    Reach = head.Groups["reach"].Value,
                    LastSampleAgeSeconds = Age(head.Groups["lastrx"].Value),
                }
                : null;
        }

        var reach = m.Groups["reach"].Value;
        return new TimeSourceInfo
        {
            Name = m.Groups["name"].Value,
            State = StateOf(m.Groups["state"].Value[0]),
            Stratum = int.TryParse(m.Groups["stratum"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var stratum) ? stratum : null,
            Reach = reach,
            LastSampleAgeSeconds = Age(m.Groups["lastrx"].Value),
            Offset = reach != "0" ? Duration(m.Groups["offset"].Value, m.Groups["unit"].Value) : null,
            MeasuredOffset = reach != "0" ? Duration(m.Groups["measured"].Value, m.Groups["munit"].Value) : null,
        };
    }

    /// <summary>chrony's %I: plain seconds, or with an m/h/d/y suffix; "-" when there is no sample.</summary>
    internal static long? Age(string text)
    {
        if (text.Length == 0 || text == "-")
        {
            return null;
        }

        var multiplier = text[^1] switch { 'm' => 60L, 'h' => 3600L, 'd' => 86400L, 'y' => 365L * 86400, _ => 1L };
        var digits = multiplier == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < uint.MaxValue
            ? value * multiplier
            : null;
    }

    private static TimeSpan? Duration(string number, string unit)
    {
        if (!ChronyTracking.TryDouble(number, out var value))
        {
            return null;
        }

        var seconds = unit switch { "ns" => value / 1e9, "us" => value / 1e6, "ms" => value / 1e3, _ => value };
        return ChronyTracking.Seconds(seconds);
    }

    private static string StateOf(char state) => state switch
    {
        '*' => "Selected",
        '+' => "Combined",
        '-' => "NotCombined",
        'x' => "Falseticker",
        '~' => "Variable",
        '?' => "Unreachable",
        _ => "None",
    };

    [GeneratedRegex(@"^(?<mode>[\^=#])(?<state>[*+\-x~? ])\s(?<name>\S+)\s+(?<stratum>[0-9]+)\s+(?<poll>-?[0-9]+)\s+(?<reach>[0-7]+)\s+(?<lastrx>\S+)\s+(?<offset>[+-]?[0-9]+(?:\.[0-9]+)?)(?<unit>ns|us|ms|s)\[\s*(?<measured>[+-]?[0-9]+(?:\.[0-9]+)?)(?<munit>ns|us|ms|s)\]")]
    private static partial Regex HumanRow();

    [GeneratedRegex(@"^(?<mode>[\^=#])(?<state>[*+\-x~? ])\s(?<name>\S+)\s+(?<stratum>[0-9]+)\s+(?<poll>-?[0-9]+)\s+(?<reach>[0-7]+)\s+(?<lastrx>\S+)\s")]
    private static partial Regex HumanRowHead();
}
