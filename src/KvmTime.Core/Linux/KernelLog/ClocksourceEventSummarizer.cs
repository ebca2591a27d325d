using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>Counts one host's events by kind and picks the last unstable one: the row a fleet triage wants.</summary>
public static class ClocksourceEventSummarizer
{
    public static ClocksourceEventSummary Summarize(string computerName, IReadOnlyList<ClocksourceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var counts = events.GroupBy(e => e.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        var timed = events.Where(e => e.TimeCreated is not null).Select(e => e.TimeCreated!.Value).ToList();
        return new ClocksourceEventSummary
        {
            ComputerName = computerName,
            EventCount = events.Count,
            Counts = counts,
            UnstableCount = events.Count(e => e.IsUnstable),
            LastUnstable = events.LastOrDefault(e => e.IsUnstable),
            LastSwitchedTo = events.LastOrDefault(e => e.Kind == ClocksourceEventKind.Switched)?.Clocksource,
            FirstEventTime = timed.Count == 0 ? null : timed.Min(),
            LastEventTime = timed.Count == 0 ? null : timed.Max(),
        };
    }
}
