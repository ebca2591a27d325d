using System.Text;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;

namespace KvmTime.Fuzz;

/// <summary>The kernel log: one line, the clock facts, a gathered log, and a streamed file.</summary>
public static class KernelLogTargets
{
    private static readonly string[] Logs = ["kernellog/*.txt", "kernellog/real/*.txt", "kernellog/invented/*.txt", "kernellog/*.log"];
    private static readonly KernelLogClock Clock = new(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeZoneInfo.Utc, new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));

    public static IEnumerable<FuzzTarget> All() =>
    [
        new("kernel-log-line", Logs, s => KernelLogLine.Parse(s, Clock)),
        new("clocksource-message", Logs, s => ClocksourceMessage.Recognize(s)),
        new("kernel-log-clock", [], s => ClocksourceEventReader.ParseClock(s, null, null)),
        new("kernel-log-gather", Logs, s => ClocksourceEventReader.Parse(GatherInput.For(ClocksourceEventReader.Request(new ClocksourceEventQuery(), "n"), s), "n", new ClocksourceEventQuery(), "fuzz", null)),
        new("kernel-log-stream", Logs, ReadStream),
    ];

    private static void ReadStream(string input)
    {
        var parser = new ClocksourceEventParser("fuzz", Clock, "fuzz");
        var events = new List<ClocksourceEvent>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        KernelLogFileReader.Read(stream, parser, events, CancellationToken.None);
        parser.Flush(events);
        ClocksourceEventSummarizer.Summarize("fuzz", events);
    }
}
