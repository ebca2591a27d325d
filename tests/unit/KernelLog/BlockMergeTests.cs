using KvmTime.Model;
using Xunit;
using static KvmTime.Tests.KernelLog.KernelLogSamples;

namespace KvmTime.Tests.KernelLog;

/// <summary>Multi-line blocks become one event, whatever comes between their lines.</summary>
public class BlockMergeTests
{
    private static readonly string[] Block514 =
    [
        "[  100.000100] clocksource: timekeeping watchdog on CPU2: Marking clocksource 'tsc' as unstable because the skew is too large:",
        "[  100.000104] clocksource:                       'kvm-clock' wd_nsec: 512000000 wd_now: 2d4f1a77 wd_last: 2a3c2e10 mask: ffffffffffffffff",
        "[  100.000106] clocksource:                       'tsc' cs_nsec: 512900000 cs_now: 1f2a3b4c5d6e cs_last: 1f2a2b3c4d5e mask: ffffffffffffffff",
        "[  100.000109] clocksource:                       'kvm-clock' (not 'tsc') is current clocksource.",
    ];

    private static readonly string[] Noise =
    [
        "[  100.000101] EXT4-fs (vda1): mounted filesystem with ordered data mode",
        "[  100.000102] tsc: Marking TSC unstable due to clocksource watchdog",
        "[  100.000103] clocksource: Checking clocksource tsc synchronization from CPU 1 to CPUs 0,2-3.",
        "[  100.000105] clocksource:         CPUs 3 behind CPU 1 for clocksource tsc.",
        "[  100.000107] audit: type=1400 audit(1700000000.000:1): apparmor=\"STATUS\"",
        "[  100.000108] clocksource: Switched to clocksource kvm-clock",
    ];

    [Fact]
    public void Block_merges_when_unrelated_and_related_lines_come_between_its_lines()
    {
        // Interleave: block line, noise, block line, noise, ...
        var lines = Block514.Zip(Noise.Chunk(2), (b, n) => new[] { b }.Concat(n)).SelectMany(x => x).Append(Block514[3]).ToList();

        var events = Parse(lines);

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Equal(Block514, block.Lines);
        Assert.Equal((900000L, "kvm-clock", "kvm-clock", 2), (block.SkewNs!.Value, block.Watchdog, block.CurrentClocksource, block.Cpu));
        var sync = Single(events, ClocksourceEventKind.SyncCheck);
        Assert.Equal(("CPUs 3 behind CPU 1", 2), (sync.Reason, sync.Lines.Count));
        Assert.Single(events, e => e.Kind == ClocksourceEventKind.TscUnstable);
        Assert.Single(events, e => e.Kind == ClocksourceEventKind.Switched);
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public void Two_blocks_back_to_back_stay_two_events()
    {
        var second = Block514.Select(l => l.Replace("[  100.", "[  100.5", StringComparison.Ordinal).Replace("CPU2", "CPU3", StringComparison.Ordinal)).ToArray();

        var events = Parse(Block514.Concat(second));

        Assert.Equal([2, 3], events.Select(e => e.Cpu!.Value));
        Assert.All(events, e => Assert.Equal(4, e.Lines.Count));
    }

    [Fact]
    public void A_block_whose_later_lines_are_lost_still_reports_what_its_first_line_says()
    {
        var events = Parse([Block514[0], "[  105.000000] clocksource: Switched to clocksource kvm-clock"]);

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Equal(("tsc", 2), (block.Clocksource, block.Cpu));
        Assert.Null(block.Watchdog);
        Assert.Null(block.SkewNs);
    }

    [Fact]
    public void Later_lines_without_their_first_line_make_no_event()
    {
        var events = Parse(Block514.Skip(1));

        Assert.Empty(events);
    }

    [Fact]
    public void A_later_line_far_from_its_block_in_time_does_not_merge()
    {
        var late = Block514[2].Replace("[  100.000106]", "[  160.000106]", StringComparison.Ordinal);

        var events = Parse([Block514[0], Block514[1], late]);

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Null(block.ClocksourceIntervalNs);
        Assert.Equal(2, block.Lines.Count);
    }

    [Fact]
    public void A_line_naming_another_clocksource_does_not_merge_into_the_block()
    {
        var other = Block514[2].Replace("'tsc' cs_nsec", "'hpet' cs_nsec", StringComparison.Ordinal);

        var events = Parse([Block514[0], Block514[1], other, Block514[3]]);

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Null(block.ClocksourceIntervalNs);
        Assert.Equal(3, block.Lines.Count);
    }

    [Fact]
    public void Blocks_without_stamps_close_by_line_count()
    {
        var bare = Block514.Select(l => l[15..]).ToList();
        var noise = Enumerable.Range(0, 100).Select(i => $"clocksource: Switched to clocksource tsc{i}");

        var events = Parse(bare.Take(2).Concat(noise).Concat(bare.Skip(2)), KernelLogSamples.Clock() with { BootTimeUtc = null });

        var block = Single(events, ClocksourceEventKind.WatchdogUnstable);
        Assert.Equal(2, block.Lines.Count);
        Assert.Null(block.TimeCreated);
    }
}
