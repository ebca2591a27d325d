using System.Globalization;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Get-ClocksourceEvent's gather and understand steps: one round trip collects the target's clock
/// facts and its prefiltered kernel log; the streaming parser turns that into events. Log files on
/// this machine (-Path without -ComputerName) are streamed in-process instead.
/// </summary>
public static class ClocksourceEventReader
{
    public static GatherRequest Request(ClocksourceEventQuery query, string nonce) => new GatherRequest()
        .Command("clock", KernelLogScript.ClockCommand)
        .Command("kernellog", KernelLogScript.Build(query, nonce));

    /// <summary>The clock facts alone, for streaming local files.</summary>
    public static GatherRequest ClockRequest() => new GatherRequest().Command("clock", KernelLogScript.ClockCommand);

    /// <summary>
    /// The target's clock from "date +%s.%N; /proc/uptime; btime; date +%z". The boot time is now
    /// minus uptime (10 ms resolution); btime (whole seconds) is the fallback when date lacks %N.
    /// <paramref name="localZone"/> is the zone for syslog stamps when the target is this machine.
    /// </summary>
    public static KernelLogClock ParseClock(string? text, DateTime? bootTimeOverrideUtc, TimeZoneInfo? localZone)
    {
        var lines = (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries);
        string Line(int i) => i < lines.Length ? lines[i] : string.Empty;
        var now = double.TryParse(Line(0), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : (double?)null;
        var uptime = double.TryParse(Line(1).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var u) ? u : (double?)null;
        var btime = Line(2).StartsWith("btime ", StringComparison.Ordinal) &&
            long.TryParse(Line(2).AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var b) ? b : (long?)null;
        DateTime? boot = now is { } nowSeconds && uptime is { } up ? DateTime.UnixEpoch.AddSeconds(nowSeconds - up)
            : btime is { } bootSeconds ? DateTime.UnixEpoch.AddSeconds(bootSeconds) : null;
        var reference = now is { } ns ? DateTime.UnixEpoch.AddSeconds(ns) : DateTime.UtcNow;
        return new KernelLogClock(bootTimeOverrideUtc ?? boot, localZone ?? ZoneFromOffset(Line(3)), reference);
    }

    public static IReadOnlyList<ClocksourceEvent> Parse(GatherResult gathered, string nonce, ClocksourceEventQuery query, string computerName, TimeZoneInfo? localZone)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        ArgumentNullException.ThrowIfNull(query);
        var clock = ParseClock(gathered.TextOrNull("clock"), query.BootTimeUtc, localZone);
        var log = gathered.Get("kernellog");
        if (log is null || (log.ExitCode != 0 && log.Text.Length == 0))
        {
            throw Unreadable(log?.ExitCode ?? -1, computerName);
        }

        var marker = KernelLogScript.Marker(nonce) + " ";
        var parser = new ClocksourceEventParser(computerName, clock, "unknown", query.Matches);
        var events = new List<ClocksourceEvent>();
        var missing = new List<string>();
        // The text after the last newline is a line the output was cut off in: not a whole message.
        var lines = log.Text.Split('\n');
        foreach (var line in lines.Take(lines.Length - 1))
        {
            if (!line.StartsWith(marker, StringComparison.Ordinal))
            {
                parser.Push(line, events);
            }
            else if (line.AsSpan(marker.Length).StartsWith("MISSING "))
            {
                missing.Add(line[(marker.Length + "MISSING ".Length)..]);
            }
            else if (line.AsSpan(marker.Length).StartsWith("SOURCE "))
            {
                var fields = line[(marker.Length + "SOURCE ".Length)..].Split(' ', 2);
                var mtime = long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0 ? DateTime.UnixEpoch.AddSeconds(m) : clock.ReferenceUtc;
                parser.StartSource(fields.Length > 1 ? fields[1] : "unknown", clock with { ReferenceUtc = mtime }, events);
            }
        }

        parser.Flush(events);
        if (missing.Count > 0)
        {
            throw new KvmTimeException("KernelLogPathNotFound", FailureKind.ObjectNotFound,
                $"{computerName}: cannot read {string.Join(", ", missing)}. Check the path and that this user may read it.")
            { ComputerName = computerName };
        }

        return Sorted(events);
    }

    /// <summary>Streams log files on this machine through the parser.</summary>
    public static IReadOnlyList<ClocksourceEvent> ReadLocalFiles(IReadOnlyList<string> paths, ClocksourceEventQuery query, string computerName, KernelLogClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(clock);
        var events = new List<ClocksourceEvent>();
        var parser = new ClocksourceEventParser(computerName, clock, "unknown", query.Matches);
        foreach (var path in paths)
        {
            try
            {
                parser.StartSource(path, clock with { ReferenceUtc = File.GetLastWriteTimeUtc(path) }, events);
                KernelLogFileReader.Read(path, parser, events, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KvmTimeException("KernelLogPathNotFound", FailureKind.ObjectNotFound,
                    $"{computerName}: cannot read {path}: {e.Message} Check the path and that this user may read it.", e)
                { ComputerName = computerName };
            }
        }

        parser.Flush(events);
        return Sorted(events);
    }

    private static List<ClocksourceEvent> Sorted(List<ClocksourceEvent> events) =>
        events.OrderBy(e => e.TimeCreated ?? DateTime.MinValue).ThenBy(e => e.SinceBoot ?? TimeSpan.Zero).ToList();

    private static KvmTimeException Unreadable(int exitCode, string computerName)
    {
        var (errorId, kind, advice) = exitCode switch
        {
            KernelLogScript.DmesgUnreadable => ("DmesgUnreadable", FailureKind.PermissionDenied,
                "dmesg is not readable by this user (kernel.dmesg_restrict=1). Connect as root, or use -Source Journal or -Source Syslog."),
            KernelLogScript.JournalMissing => ("JournalUnavailable", FailureKind.ObjectNotFound,
                "there is no journalctl on this machine. Use -Source Dmesg or -Source Syslog."),
            _ => ("KernelLogUnreadable", FailureKind.ResourceUnavailable,
                $"the kernel log could not be read (exit code {exitCode}). Try -Source Dmesg, Journal or Syslog, or -Path."),
        };
        return new KvmTimeException(errorId, kind, $"{computerName}: {advice}") { ComputerName = computerName };
    }

    private static TimeZoneInfo ZoneFromOffset(string offset)
    {
        if (offset.Length == 5 && (offset[0] is '+' or '-') &&
            int.TryParse(offset.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) &&
            int.TryParse(offset.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && h <= 14 && m < 60)
        {
            var span = new TimeSpan(h, m, 0) * (offset[0] == '-' ? -1 : 1);
            return TimeZoneInfo.CreateCustomTimeZone("UTC" + offset, span, "UTC" + offset, "UTC" + offset);
        }

        return TimeZoneInfo.Utc;
    }
}
