using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmTime.Linux.KernelLog;

/// <summary>One kernel log line without its stamps: when it was written, and the kernel's message.</summary>
public readonly record struct KernelLogEntry(DateTime? TimeUtc, TimeSpan? SinceBoot, string Message);

/// <summary>
/// Reads the stamp of one kernel log line in any of the shapes the sources write:
/// dmesg "[   97.769021] msg" (optionally "&lt;4&gt;"), journalctl -o short-iso-precise and rsyslog
/// RFC 3339 "2024-05-01T12:00:00.123456+0000 host kernel: msg", and traditional syslog
/// "May  1 12:00:00 host kernel: msg" with or without a year. Lines that another program
/// wrote to a syslog file (tag other than "kernel") are not kernel lines.
/// </summary>
public static partial class KernelLogLine
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    [GeneratedRegex(@"^(?:<\d{1,3}>)?\[\s*(?<s>\d{1,10})\.(?<f>\d{1,9})\]\s?", RegexOptions.CultureInvariant)]
    private static partial Regex BootStamp();

    [GeneratedRegex(@"^(?<t>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?)(?<z>Z|[+-]\d\d:?\d\d)?\s+(?<host>\S+)\s+(?<tag>[^\s:\[]+)(?:\[\d+\])?:\s?", RegexOptions.CultureInvariant)]
    private static partial Regex IsoStamp();

    [GeneratedRegex(@"^(?:(?<y1>\d{4}) )?(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(?<d>\d{1,2})(?: (?<y2>\d{4}))? (?<h>\d\d):(?<m>\d\d):(?<sec>\d\d)(?:\.\d{1,9})?\s+(?<host>\S+)\s+(?<tag>[^\s:\[]+)(?:\[\d+\])?:\s?", RegexOptions.CultureInvariant)]
    private static partial Regex SyslogStamp();

    /// <summary>The entry for a line, or null when the line is not a kernel line.</summary>
    public static KernelLogEntry? Parse(string line, KernelLogClock clock)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(clock);
        line = line.TrimEnd('\r', '\n');
        DateTime? absolute = null;
        var rest = line;

        var iso = line.Length > 0 && char.IsAsciiDigit(line[0]) ? IsoStamp().Match(line) : Match.Empty;
        var syslog = iso.Success ? Match.Empty : SyslogStamp().Match(line);
        if (iso.Success)
        {
            if (iso.Groups["tag"].Value != "kernel")
            {
                return null;
            }

            absolute = ParseIso(iso.Groups["t"].Value, iso.Groups["z"].Value, clock);
            rest = line[iso.Length..];
        }
        else if (syslog.Success)
        {
            if (syslog.Groups["tag"].Value != "kernel")
            {
                return null;
            }

            absolute = ParseSyslog(syslog, clock);
            rest = line[syslog.Length..];
        }

        TimeSpan? sinceBoot = null;
        var boot = BootStamp().Match(rest);
        if (boot.Success)
        {
            sinceBoot = ParseBootStamp(boot.Groups["s"].Value, boot.Groups["f"].Value);
            rest = rest[boot.Length..];
        }

        absolute ??= sinceBoot is { } since && clock.BootTimeUtc is { } bootTime ? bootTime + since : null;
        return new KernelLogEntry(absolute, sinceBoot, rest.TrimEnd());
    }

    /// <summary>Reads an embedded "[    0.000004] " stamp at the start of a run-on message part.</summary>
    internal static (TimeSpan? SinceBoot, string Remainder) StripBootStamp(string text)
    {
        var boot = BootStamp().Match(text);
        return boot.Success ? (ParseBootStamp(boot.Groups["s"].Value, boot.Groups["f"].Value), text[boot.Length..]) : (null, text);
    }

    private static TimeSpan? ParseBootStamp(string seconds, string fraction)
    {
        if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ||
            !long.TryParse(fraction.PadRight(7, '0')[..7], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            s > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return null;
        }

        return TimeSpan.FromSeconds(s) + TimeSpan.FromTicks(ticks);
    }

    private static DateTime? ParseIso(string text, string zone, KernelLogClock clock)
    {
        text = text.Replace(',', '.').Replace(' ', 'T');
        if (!DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0 || !DateTime.TryParseExact(text[..Math.Min(text.Length, dot + 8)], "yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            {
                return null;
            }
        }

        if (zone.Length == 0)
        {
            return clock.FromTargetLocal(local);
        }

        if (zone == "Z")
        {
            return DateTime.SpecifyKind(local, DateTimeKind.Utc);
        }

        var digits = zone.Replace(":", string.Empty, StringComparison.Ordinal);
        var hours = int.Parse(digits.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(digits.AsSpan(3, 2), CultureInfo.InvariantCulture);
        var offset = new TimeSpan(hours, minutes, 0) * (digits[0] == '-' ? -1 : 1);
        return hours > 14 || minutes > 59 ? null : DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    private static DateTime? ParseSyslog(Match m, KernelLogClock clock)
    {
        var month = Array.IndexOf(Months, m.Groups["mon"].Value) + 1;
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (day < 1 || day > DateTime.DaysInMonth(2000, month))
        {
            return null;
        }

        var yearText = m.Groups["y1"].Success ? m.Groups["y1"].Value : m.Groups["y2"].Value;
        var year = yearText.Length > 0 ? int.Parse(yearText, CultureInfo.InvariantCulture) : clock.YearFor(month, day);
        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(m.Groups["sec"].Value, CultureInfo.InvariantCulture);
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        return clock.FromTargetLocal(new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified));
    }
}
