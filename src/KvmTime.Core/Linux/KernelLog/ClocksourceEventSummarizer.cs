using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>Counts events by kind for each host and boot, and picks the last unstable one: the rows a fleet triage wants.</summary>
internal static class ClocksourceEventSummarizer
{
    /// <summary>One summary per host and boot, in the order they first appear; one empty summary when there are no events.</summary>
    public static IReadOnlyList<ClocksourceEventSummary> Summarize(string computerName, IReadOnlyList<ClocksourceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [SummarizeOne(computerName, 0, events)];
        }

        return events.GroupBy(e => (e.ComputerName, e.Boot)).Select(g => SummarizeOne(g.Key.ComputerName, g.Key.Boot, g.ToList())).ToList();
    }

    private static ClocksourceEventSummary SummarizeOne(string computerName, int boot, IReadOnlyList<ClocksourceEvent> events)
    {
        var timed = events.Where(e => e.TimeCreated is not null).Select(e => e.TimeCreated!.Value).ToList();
        return new ClocksourceEventSummary
        {
            ComputerName = computerName,
            Boot = boot,
            EventCount = events.Count,
            Counts = events.GroupBy(e => e.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            UnstableCount = UnstableIncidents.Count(events),
            LastUnstable = events.LastOrDefault(e => e.IsUnstable),
            LastSwitchedTo = events.LastOrDefault(e => e.Kind == ClocksourceEventKind.Switched)?.Clocksource,
            FirstEventTime = timed.Count == 0 ? null : timed.Min(),
            LastEventTime = timed.Count == 0 ? null : timed.Max(),
        };
    }
}
