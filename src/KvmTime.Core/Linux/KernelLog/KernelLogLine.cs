using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Reads the stamps of one kernel log line in the shapes the sources write: journalctl and rsyslog
/// RFC 3339 "2024-05-01T12:00:00.123456+0000 host kernel: msg"; traditional and busybox syslog
/// "May  1 12:00:00 [host] [kern.warn] kernel: msg" (journalctl leaves the host out when asked); OpenWrt logread "Tue Mar  8 13:19:34 2022
/// kern.info kernel: msg"; dmesg -T "[Mon Jan  6 08:00:01 2025] msg" (English or German names);
/// dmesg --time-format iso "2025-01-06T08:00:01,123456+01:00 msg"; then the boot-relative
/// "[   97.769021]" and a CONFIG_PRINTK_CALLER "[    T1]". Text before a boot stamp that names no
/// clocksource (a login prompt, a shell prompt pasted from a serial console) is dropped. Lines
/// another program wrote to a syslog file are not kernel lines.
/// </summary>
internal static partial class KernelLogLine
{
    private const string Tag = @"(?<tag>[^\s:\[]+)(?:\[\d+\])?:\s?";

    /// <summary>How far into a line a boot stamp behind serial-console noise is looked for.</summary>
    private const int NoiseLimit = 160;

    [GeneratedRegex(@"^(?:<[0-9]{1,3}>)?\[\s*(?<s>[0-9]{1,10})\.(?<f>[0-9]{1,9})\]\s?(?:\[\s*[TC][0-9]{1,7}\]\s?)?", RegexOptions.CultureInvariant)]
    private static partial Regex BootStamp();

    [GeneratedRegex(@"^\[\s*[TC][0-9]{1,7}\]\s?", RegexOptions.CultureInvariant)]
    private static partial Regex CallerId();

    [GeneratedRegex(@"^(?<t>[0-9]{4}-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:[.,][0-9]{1,9})?)(?<z>Z|[+-][0-9][0-9]:?[0-9][0-9])?\s+(?<host>\S+)\s+" + Tag, RegexOptions.CultureInvariant)]
    private static partial Regex IsoStamp();

    [GeneratedRegex(@"^(?<t>[0-9]{4}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9],[0-9]{1,9})(?<z>Z|[+-][0-9][0-9]:?[0-9][0-9])\s", RegexOptions.CultureInvariant)]
    private static partial Regex DmesgIsoStamp();

    // journalctl -o short-full: "Mon 2025-01-06 08:00:01 CET host kernel: msg"; the zone is a name, so the target's zone applies.
    [GeneratedRegex(@"^[A-Z][a-z]{2} (?<t>[0-9]{4}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9](?:\.[0-9]{1,9})?) (?<zone>[A-Z]{1,5}|[+-][0-9]{4}) (?<host>\S+) " + Tag, RegexOptions.CultureInvariant)]
    private static partial Regex JournalFullStamp();

    // journalctl -o short-monotonic puts the host and tag after the boot stamp: "[    0.5] host kernel: msg".
    [GeneratedRegex(@"^(?<host>[^\s\[\]:]+) (?<tag>[^\s:\[]+)(?:\[[0-9]+\])?: ", RegexOptions.CultureInvariant)]
    private static partial Regex HostAfterStamp();

    [GeneratedRegex(@"^(?:(?<y1>[0-9]{4}) )?(?<mon>[A-Z][a-z]{2}) {1,2}(?<d>[0-9]{1,2})(?: (?<y2>[0-9]{4}))? (?<h>[0-9][0-9]):(?<m>[0-9][0-9]):(?<sec>[0-9][0-9])(?:\.[0-9]{1,9})?\s+(?:(?<tag>kernel):\s?|(?<host>\S+)\s+(?:[a-z]+\.[a-z]+\s+)?" + Tag + ")", RegexOptions.CultureInvariant)]
    private static partial Regex SyslogStamp();

    [GeneratedRegex(@"^[A-Z][a-z]{2} (?<mon>[A-Z][a-z]{2}) {1,2}(?<d>[0-9]{1,2}) (?<h>[0-9][0-9]):(?<m>[0-9][0-9]):(?<sec>[0-9][0-9]) (?<y2>[0-9]{4}) [a-z]+\.[a-z]+ " + Tag, RegexOptions.CultureInvariant)]
    private static partial Regex LogreadStamp();

    [GeneratedRegex(@"^\[[^\W\d_]{2,3}\.?,? +(?<mon>[^\W\d_]{3,4})\.? +(?<d>[0-9]{1,2})\.? (?<h>[0-9][0-9]):(?<m>[0-9][0-9]):(?<sec>[0-9][0-9]) (?<y2>[0-9]{4})\]\s?", RegexOptions.CultureInvariant)]
    private static partial Regex CtimeStamp();

    // grep -H or -n over log files: "/var/log/kern.log:Feb  2 10:00:00 host kernel: msg", "kern.log.1:12:[ 1.0] msg".
    [GeneratedRegex(@"\G[^\s:\[\]]{1,255}:(?:[0-9]{1,10}:)?", RegexOptions.CultureInvariant)]
    private static partial Regex GrepPrefix();

    /// <summary>The entry for a line, or null when the line is not a kernel line.</summary>
    public static KernelLogEntry? Parse(string line, KernelLogClock clock)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(clock);
        line = line.TrimEnd('\r', '\n');
        if (!TryReadWallStamp(line, clock, out var wall, out var consumed))
        {
            return null;
        }

        // Only a line that starts with no stamp of its own can start with grep's file name.
        if (consumed == 0 && WithoutGrepPrefix(line, clock) is { } withoutName)
        {
            line = withoutName;
            if (!TryReadWallStamp(line, clock, out wall, out consumed))
            {
                return null;
            }
        }

        var rest = line[consumed..];
        TimeSpan? sinceBoot = null;
        var boot = BootStamp().Match(rest);
        if (!boot.Success && consumed == 0 && FindStampBehindNoise(rest) is > 0 and var at)
        {
            // dmesg -x levels, a login or shell prompt: the stamps start further in.
            rest = rest[at..];
            if (CtimeStamp().Match(rest) is { Success: true } ctime)
            {
                wall = wall with { TimeUtc = ParseNamedMonth(ctime, clock).Time };
                rest = rest[ctime.Length..];
            }

            boot = BootStamp().Match(rest);
        }

        if (boot.Success)
        {
            sinceBoot = ParseBootStamp(boot.Groups["s"].Value, boot.Groups["f"].Value);
            rest = rest[boot.Length..];
            if (consumed == 0 && HostAfterStamp().Match(rest) is { Success: true } hostTag && hostTag.Groups["tag"].Value == "kernel")
            {
                wall = wall with { Host = hostTag.Groups["host"].Value };
                rest = rest[hostTag.Length..];
            }
        }
        else if (CallerId().Match(rest) is { Success: true } caller)
        {
            rest = rest[caller.Length..];
        }

        return wall with { SinceBoot = sinceBoot, Message = rest.TrimEnd() };
    }

    /// <summary>Reads an embedded "[    0.000004] " stamp at the start of a run-on message part.</summary>
    internal static (TimeSpan? SinceBoot, string Remainder) StripBootStamp(string text)
    {
        var (sinceBoot, length) = BootStampAt(text, 0);
        return (sinceBoot, length > 0 ? text[length..] : text);
    }

    /// <summary>The boot stamp starting at <paramref name="at"/> and its length (0 when there is none), without copying the text.</summary>
    internal static (TimeSpan? SinceBoot, int Length) BootStampAt(string text, int at)
    {
        var boot = BootStamp().Match(text, at, text.Length - at);
        return boot.Success ? (ParseBootStamp(boot.Groups["s"].Value, boot.Groups["f"].Value), boot.Length) : (null, 0);
    }

    /// <summary>
    /// The wall-clock stamp at the start of the line, if any, and how many characters it takes.
    /// False when the line is another program's syslog or journal line.
    /// </summary>
    private static bool TryReadWallStamp(string line, KernelLogClock clock, out KernelLogEntry wall, out int consumed)
    {
        wall = new KernelLogEntry(null, null, string.Empty);
        consumed = 0;
        if (line.Length == 0)
        {
            return true;
        }

        if (char.IsAsciiDigit(line[0]))
        {
            var iso = IsoStamp().Match(line);
            if (iso.Success && iso.Groups["tag"].Value == "kernel")
            {
                wall = wall with { TimeUtc = ParseIso(iso.Groups["t"].Value, iso.Groups["z"].Value, clock), Host = iso.Groups["host"].Value };
                consumed = iso.Length;
                return true;
            }

            // dmesg --time-format iso writes a comma before the fraction and no host.
            if (DmesgIsoStamp().Match(line) is { Success: true } dmesgIso)
            {
                wall = wall with { TimeUtc = ParseIso(dmesgIso.Groups["t"].Value, dmesgIso.Groups["z"].Value, clock) };
                consumed = dmesgIso.Length;
                return true;
            }

            if (iso.Success)
            {
                return false;
            }
        }

        if (JournalFullStamp().Match(line) is { Success: true } full)
        {
            if (full.Groups["tag"].Value != "kernel")
            {
                return false;
            }

            var utc = full.Groups["zone"].Value is "UTC" or "GMT" or "+0000";
            wall = wall with { TimeUtc = ParseIso(full.Groups["t"].Value, utc ? "Z" : string.Empty, clock), Host = full.Groups["host"].Value };
            consumed = full.Length;
            return true;
        }

        var named = line[0] == '[' ? CtimeStamp().Match(line) : LogreadStamp().Match(line);
        if (!named.Success && line[0] != '[')
        {
            named = SyslogStamp().Match(line);
        }

        if (!named.Success)
        {
            return true;
        }

        if (named.Groups["tag"].Success && named.Groups["tag"].Value != "kernel")
        {
            return false;
        }

        var (time, yearInferred) = ParseNamedMonth(named, clock);
        wall = wall with { TimeUtc = time, YearInferred = yearInferred, Host = named.Groups["host"].Success ? named.Groups["host"].Value : null };
        consumed = named.Length;
        return true;
    }

    /// <summary>
    /// The line without the file name grep puts before each hit when it searches several files, at
    /// the start or behind noise that names no clocksource (a test log's "search result: "); null
    /// when there is none. Only a name followed by a stamp is a file name: "clocksource: Switched
    /// ..." is a message.
    /// </summary>
    private static string? WithoutGrepPrefix(string line, KernelLogClock clock)
    {
        if (line.Length == 0 || line[0] == '[')
        {
            return null;
        }

        for (var at = 0; at >= 0 && at < NoiseLimit; at = line.IndexOf(' ', at) is var space and >= 0 ? space + 1 : -1)
        {
            if (GrepPrefix().Match(line, at) is { Success: true } prefix &&
                prefix.Index + prefix.Length < line.Length &&
                StartsWithStamp(line[(prefix.Index + prefix.Length)..], clock) &&
                (at == 0 || !ClocksourceLogFilter.IsCandidate(line.AsSpan(0, at))))
            {
                return line[(prefix.Index + prefix.Length)..];
            }
        }

        return null;
    }

    /// <summary>True when the text starts with a stamp (or is another program's syslog line, which a stamp also starts).</summary>
    private static bool StartsWithStamp(string text, KernelLogClock clock) =>
        BootStamp().IsMatch(text) || CtimeStamp().IsMatch(text) ||
        !TryReadWallStamp(text, clock, out _, out var consumed) || consumed > 0;

    /// <summary>
    /// Where a boot or dmesg -T stamp starts behind noise a serial console or a shell put before it ("login:
    /// [  12.3] ..."), or -1. Text that itself names a clocksource is a message, not noise.
    /// </summary>
    private static int FindStampBehindNoise(string text)
    {
        for (var at = text.IndexOf('[', StringComparison.Ordinal); at > 0 && at < NoiseLimit; at = text.IndexOf('[', at + 1))
        {
            if (BootStamp().IsMatch(text.AsSpan(at)) || CtimeStamp().IsMatch(text.AsSpan(at)))
            {
                return ClocksourceLogFilter.IsCandidate(text.AsSpan(0, at)) ? -1 : at;
            }
        }

        return -1;
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

        // Year 1 and 9999 leave no room for the zone's offset: no kernel wrote them.
        if (local.Year is < 2 or > 9998)
        {
            return null;
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

    /// <summary>A syslog, logread or dmesg -T stamp: local time on the target, with or without a year.</summary>
    private static (DateTime? Time, bool YearInferred) ParseNamedMonth(Match m, KernelLogClock clock)
    {
        var month = MonthNames.Number(m.Groups["mon"].Value);
        var day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (month == 0 || day < 1 || day > DateTime.DaysInMonth(2000, month))
        {
            return (null, false);
        }

        var yearText = m.Groups["y1"].Success ? m.Groups["y1"].Value : m.Groups["y2"].Value;
        var inferred = yearText.Length == 0;
        var year = inferred ? clock.YearFor(month, day) : int.Parse(yearText, CultureInfo.InvariantCulture);
        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
        var second = int.Parse(m.Groups["sec"].Value, CultureInfo.InvariantCulture);
        if (year < 2 || year > 9998 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return (null, false);
        }

        return (clock.FromTargetLocal(new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified)), inferred);
    }
}
