using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>Runs kernel log text through the streaming parser the way the cmdlet does.</summary>
internal static class KernelLogSamples
{
    public static readonly DateTime Boot = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    public static KernelLogClock Clock(DateTime? referenceUtc = null, TimeZoneInfo? zone = null) =>
        new(Boot, zone ?? TimeZoneInfo.Utc, referenceUtc ?? new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));

    public static List<ClocksourceEvent> Parse(IEnumerable<string> lines, KernelLogClock? clock = null)
    {
        var events = new List<ClocksourceEvent>();
        var parser = new ClocksourceEventParser("guest1", clock ?? Clock(), "test");
        foreach (var line in lines)
        {
            parser.Push(line, events);
        }

        parser.Flush(events);
        return events.OrderBy(e => e.Order).ToList();
    }

    public static List<ClocksourceEvent> ParseSample(string name, KernelLogClock? clock = null) =>
        Parse(SampleFiles.Read("kernellog/" + name).Split('\n'), clock);

    public static ClocksourceEvent Single(List<ClocksourceEvent> events, ClocksourceEventKind kind) =>
        Assert.Single(events, e => e.Kind == kind);
}
