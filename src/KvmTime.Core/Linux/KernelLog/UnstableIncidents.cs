using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// One watchdog verdict prints a block, then "Marking TSC unstable due to clocksource watchdog"
/// and often "TSC found unstable after boot": one incident, three unstable events. An incident is
/// an unstable event and every TscUnstable event that follows it in the same file and boot within
/// <see cref="Window"/> (or, without stamps, right after it).
/// </summary>
internal static class UnstableIncidents
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    public static int Count(IEnumerable<ClocksourceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var count = 0;
        ClocksourceEvent? start = null;
        foreach (var e in events.Where(e => e.IsUnstable))
        {
            if (start is null || !Follows(e, start))
            {
                count++;
                start = e;
            }
        }

        return count;
    }

    private static bool Follows(ClocksourceEvent e, ClocksourceEvent start)
    {
        if (e.Kind != ClocksourceEventKind.TscUnstable || e.Source != start.Source || e.Boot != start.Boot || e.ComputerName != start.ComputerName)
        {
            return false;
        }

        return (e.SinceBoot, start.SinceBoot, e.TimeCreated, start.TimeCreated) switch
        {
            ({ } b, { } a, _, _) => (b - a).Duration() <= Window,
            (_, _, { } t, { } s) => (t - s).Duration() <= Window + TimeSpan.FromSeconds(1),
            (null, null, null, null) => true,
            _ => false,
        };
    }
}
