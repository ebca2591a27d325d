using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

public class WindowsClocksourceEventsTests
{
    private static IReadOnlyList<WindowsTimeEvent> Recorded() =>
        WindowsTimeEvents.Parse(SampleFiles.Read("windows/events-system-time.documented_format.json"), "win1");

    [Fact]
    public void System_log_time_events_become_clocksource_events_in_utc_documented_format()
    {
        var events = WindowsClocksourceEvents.Convert(Recorded(), "win1", new ClocksourceEventQuery());

        Assert.Equal(Recorded().Count, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("win1", e.ComputerName);
            Assert.Equal(DateTimeKind.Utc, e.TimeCreated!.Value.Kind);
            Assert.StartsWith("System log: Microsoft-Windows-", e.Source, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
        });
        Assert.Contains(events, e => e.Kind == ClocksourceEventKind.TimeChanged);
        Assert.Contains(events, e => e.Kind == ClocksourceEventKind.TimeSync);
        Assert.True(events.Select(e => e.TimeCreated).SequenceEqual(events.Select(e => e.TimeCreated).Order()));
    }

    [Fact]
    public void Kind_and_time_filters_apply_to_windows_events_documented_format()
    {
        var all = WindowsClocksourceEvents.Convert(Recorded(), "win1", new ClocksourceEventQuery());
        var changed = WindowsClocksourceEvents.Convert(Recorded(), "win1", new ClocksourceEventQuery { Kinds = [ClocksourceEventKind.TimeChanged] });
        var late = WindowsClocksourceEvents.Convert(Recorded(), "win1", new ClocksourceEventQuery { SinceUtc = all[^1].TimeCreated });

        Assert.All(changed, e => Assert.Equal(ClocksourceEventKind.TimeChanged, e.Kind));
        Assert.Equal(all.Count(e => e.Kind == ClocksourceEventKind.TimeChanged), changed.Count);
        Assert.All(late, e => Assert.True(e.TimeCreated >= all[^1].TimeCreated));
        Assert.NotEmpty(late);
    }

    [Fact]
    public void A_time_change_carries_its_size_in_nanoseconds_documented_format()
    {
        var change = Recorded().First(e => e.Change is not null);
        var converted = WindowsClocksourceEvents.Convert([change], "win1", new ClocksourceEventQuery()).Single();

        Assert.Equal(change.Change!.Value.Ticks * 100, converted.DeltaNs);
    }
}
