using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Get-ClocksourceEvent's gather and understand steps: one round trip collects the target's clock
/// facts and its prefiltered kernel log; the streaming parser turns that into events. Log files on
/// this machine (-Path without -ComputerName) are streamed in-process instead.
/// </summary>
internal static class ClocksourceEventReader
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
        // Range-checked: a clock line of 1e20 seconds is garbage, not a reason to fail the whole read.
        var boot = (now is { } nowSeconds && uptime is { } up ? TimeRange.FromUnixSeconds(nowSeconds - up) : null)
            ?? (btime is { } bootSeconds ? TimeRange.FromUnixSeconds(bootSeconds) : null);
        var reference = (now is { } ns ? TimeRange.FromUnixSeconds(ns) : null) ?? DateTime.UtcNow;
        return new KernelLogClock(bootTimeOverrideUtc ?? boot, localZone ?? ZoneFromOffset(Line(3)), reference);
    }

    public static KernelLogReadResult Parse(GatherResult gathered, string nonce, ClocksourceEventQuery query, string computerName, TimeZoneInfo? localZone)
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
        // Every event is kept until the verdicts are in: a skipped check explains a later mark.
        var parser = new ClocksourceEventParser(computerName, clock, "unknown");
        var events = new List<ClocksourceEvent>();
        var errors = new List<KernelLogPathError>();
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
                var path = line[(marker.Length + "MISSING ".Length)..];
                errors.Add(new KernelLogPathError(path, PathError(ErrorIds.KernelLogPathNotFound, FailureKind.ObjectNotFound, string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathUnreadable, computerName, path))));
            }
            else if (line.AsSpan(marker.Length).StartsWith("SOURCE "))
            {
                var fields = line[(marker.Length + "SOURCE ".Length)..].Split(' ', 2);
                var name = fields.Length > 1 ? fields[1] : "unknown";
                var mtime = long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0 ? TimeRange.FromUnixSeconds(m) ?? clock.ReferenceUtc : clock.ReferenceUtc;
                var isFile = name is not ("Journal" or "Dmesg");
                // Only the live ring buffer is this boot: a file's boot time is known from -BootTime or not at all.
                var sourceClock = clock with { ReferenceUtc = mtime, BootTimeUtc = isFile ? query.BootTimeUtc : clock.BootTimeUtc };
                parser.StartSource(name, sourceClock, events, isFile && query.Paths.Count > 0 ? FileName(name) : null);
            }
        }

        parser.Flush(events);
        return new KernelLogReadResult(Judged(events, query), errors, []);
    }

    /// <summary>
    /// Streams log files on this machine through the parser. A file's boot-relative stamps get a
    /// time only from the clock's boot time (-BootTime); its events belong to the host its lines
    /// name, else to the file.
    /// </summary>
    public static KernelLogReadResult ReadLocalFiles(IReadOnlyList<string> paths, ClocksourceEventQuery query, string computerName, KernelLogClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(clock);
        var events = new List<ClocksourceEvent>();
        var errors = new List<KernelLogPathError>();
        var warnings = new List<string>();
        // Every event is kept until the verdicts are in: a skipped check explains a later mark.
        var parser = new ClocksourceEventParser(computerName, clock, "unknown");
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                errors.Add(new KernelLogPathError(path, PathError(ErrorIds.KernelLogPathIsDirectory, FailureKind.InvalidArgument,
                    string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathIsDirectory, path))));
                continue;
            }

            try
            {
                parser.StartSource(path, clock with { ReferenceUtc = File.GetLastWriteTimeUtc(path) }, events, FileName(path));
                KernelLogFileReader.Read(path, parser, events, cancellationToken, line =>
                    warnings.Add($"{path}:{line.ToString(CultureInfo.InvariantCulture)}: the line is longer than {KernelLogFileReader.BufferSize / 1024} KiB; no kernel message is, so it was skipped."));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                errors.Add(new KernelLogPathError(path, PathError(ErrorIds.KernelLogPathNotFound, FailureKind.ObjectNotFound, string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathNotFound, path))));
            }
            catch (UnauthorizedAccessException)
            {
                errors.Add(new KernelLogPathError(path, PathError(ErrorIds.KernelLogPathDenied, FailureKind.PermissionDenied, string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathDenied, path))));
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                errors.Add(new KernelLogPathError(path, PathError(ErrorIds.KernelLogUnreadable, FailureKind.InvalidData, string.Format(CultureInfo.InvariantCulture, Messages.KernelLogPathReadFailed, path, e.Message))));
            }
        }

        parser.Flush(events);
        return new KernelLogReadResult(Judged(events, query), errors, warnings);
    }

    /// <summary>Verdicts over each whole boot first, then the query's filter.</summary>
    private static List<ClocksourceEvent> Judged(List<ClocksourceEvent> events, ClocksourceEventQuery query) =>
        WatchdogVerdicts.Annotate(InFileOrder(events)).Where(query.Matches).ToList();

    /// <summary>File order, never a sort on time: boots in one file and unstamped logs keep their sequence.</summary>
    private static List<ClocksourceEvent> InFileOrder(List<ClocksourceEvent> events) => events.OrderBy(e => e.Order).ToList();

    private static string FileName(string path)
    {
        var name = System.IO.Path.GetFileName(path.TrimEnd('/'));
        return name.Length > 0 ? name : path;
    }

    private static KvmTimeException PathError(string errorId, FailureKind kind, string message) => new(errorId, kind, message);

    private static KvmTimeException Unreadable(int exitCode, string computerName)
    {
        var (errorId, kind, advice) = exitCode switch
        {
            KernelLogScript.DmesgUnreadable => (ErrorIds.DmesgUnreadable, FailureKind.PermissionDenied, Messages.DmesgUnreadable),
            KernelLogScript.JournalMissing => (ErrorIds.JournalUnavailable, FailureKind.ObjectNotFound, Messages.JournalUnavailable),
            _ => (ErrorIds.KernelLogUnreadable, FailureKind.ResourceUnavailable, Messages.KernelLogUnreadable),
        };
        return new KvmTimeException(errorId, kind, string.Format(CultureInfo.InvariantCulture, advice, computerName, exitCode)) { ComputerName = computerName };
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
