using CsCheck;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using Xunit;
using static KvmTime.Tests.KernelLog.KernelLogSamples;

namespace KvmTime.Tests.KernelLog;

/// <summary>Truncated, garbled and random input: never an exception, never a wrong event.</summary>
public class GarbageTests
{
    private static readonly string[] SampleNames =
    [
        "gen-2.6-messages.txt", "gen-3.x-dmesg.txt", "watchdog-4.4-kern.log", "watchdog-5.15-journal.txt", "watchdog-6.6-negative-skew.txt",
        "readback-5.13-6.x-dmesg.txt", "rewrite-2026-dmesg.txt", "tsc-sync-adjust-dmesg.txt", "watchdog-6x-kvm-guest.txt",
    ];

    public static TheoryData<string> Samples() => new(SampleNames);

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_log_cut_off_in_any_line_reads_its_last_line_as_if_it_ended_in_a_newline(string sample)
    {
        // A pasted excerpt often lacks its final newline: the last line still counts, exactly as a whole line would.
        var text = SampleFiles.Read("kernellog/" + sample);
        for (var cut = 0; cut < text.Length; cut++)
        {
            var expected = Describe(ReadThroughFileReader(text[..cut] + "\n"));

            var actual = Describe(ReadThroughFileReader(text[..cut]));

            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_truncated_line_inside_a_log_never_becomes_an_event_of_another_kind(string sample)
    {
        foreach (var line in SampleFiles.Read("kernellog/" + sample).Split('\n').Where(l => l.Length > 0))
        {
            var kinds = Parse([line]).Select(e => e.Kind).ToHashSet();
            for (var cut = 0; cut < line.Length; cut++)
            {
                Assert.All(Parse([line[..cut]]), e => Assert.True(kinds.Contains(e.Kind), $"'{line[..cut]}' became {e.Kind}"));
            }
        }
    }

    private static List<ClocksourceEvent> ReadThroughFileReader(string text)
    {
        var events = new List<ClocksourceEvent>();
        var parser = new ClocksourceEventParser("guest1", Clock(), "cut");
        KernelLogFileReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), parser, events, CancellationToken.None);
        parser.Flush(events);
        return events;
    }

    private static List<string> Describe(List<ClocksourceEvent> events) =>
        events.Select(e => $"{e.Kind} {e.Clocksource} {e.Watchdog} {e.SkewNs} {e.DeltaNs} {e.WatchdogIntervalNs} {e.ClocksourceIntervalNs} {e.Cpu} {e.FrequencyMHz} {e.Reason} {e.Lines.Count}").ToList();

    [Theory]
    [InlineData("[  97.769021 clocksource: Switched to clocksource tsc")]
    [InlineData("[99999999999999999999.1] clocksource: Switched to clocksource tsc")]
    [InlineData("Feb 31 25:61:61 host kernel: clocksource: Switched to clocksource tsc")]
    [InlineData("9999-99-99T99:99:99.999+9999 host kernel: Switched to clocksource tsc")]
    [InlineData("2024-05-01T12:00:00+9959 host kernel: clocksource: Switched to clocksource tsc")]
    [InlineData("\0\0\0clocksource\uFFFD\uFFFD: Switched to clocksource")]
    [InlineData("clocksource:                       'tsc' cs_nsec: 99999999999999999999999 cs_now: 1 cs_last: 1 mask: f")]
    [InlineData("timekeeping watchdog on CPU99999999999: Marking clocksource 'tsc' as unstable because the skew is too large:")]
    [InlineData("kvm-clock: kvm-clock: kvm-clock: kvm-clock: [ 1.0] [ 2.0] tsc: tsc: ")]
    public void Garbled_lines_never_throw(string line)
    {
        var events = Parse([line, line, "[    1.000000] clocksource: Switched to clocksource hpet"]);

        Assert.Contains(events, e => e.Clocksource == "hpet");
        Assert.All(events, e => Assert.NotNull(e.Message));
    }

    [Fact]
    public void Out_of_range_numbers_become_missing_values_not_wrong_ones()
    {
        var events = Parse([
            "[  100.000100] clocksource: timekeeping watchdog on CPU99999999999: Marking clocksource 'tsc' as unstable because the skew is too large:",
            "[  100.000106] clocksource:                       'tsc' cs_nsec: 99999999999999999999999 cs_now: 1 cs_last: 1 mask: f",
        ]);

        var block = Assert.Single(events);
        Assert.Null(block.Cpu);
        Assert.Null(block.ClocksourceIntervalNs);
    }

    /// <summary>Words that clocksource messages are made of, but never in an order the kernel prints.</summary>
    private static readonly string[] NearMisses =
    [
        "clocksource:", "Clocksource", "tsc:", "TSC", "tsc", "kvm-clock:", "kvmclock", "watchdog", "Watchdog", "unstable", "CPU", "CPU0", "CPUs",
        "hpet", "skew", "ns", "MHz", "interval:", "sched_clock:", "read-back", "delay", "(cycles)", "_now:", "mask:", "'tsc'", "[Firmware", "Bug]:",
        "EXT4-fs", "usb", "1-1:", "error", "0x1f", "-123", "4410", "\u00e9", "\uFFFD", "\t", "  ",
    ];

    [Fact]
    public void Random_noise_yields_no_events()
    {
        var stamp = Gen.Select(Gen.Int[0, 99999], Gen.Int[0, 999999], (s, f) => $"[{s,5}.{f:D6}] ");
        var word = Gen.OneOf(Gen.OneOf(NearMisses), Gen.String[Gen.Char[' ', '~'], 0, 12]);
        var line = Gen.Select(Gen.OneOf(stamp, Gen.Const(string.Empty), Gen.Const("May  1 12:00:00 host kernel: ")), word.Array[0, 14],
            (prefix, words) => prefix + string.Join(' ', words));

        line.Array[1, 60].Sample(lines =>
        {
            var events = Parse(lines);
            Assert.True(events.Count == 0, $"noise became {string.Join(", ", events.Select(e => e.Kind + ": " + e.Message))}");
        }, iter: 2000);
    }

    [Fact]
    public void Random_bytes_through_the_file_reader_yield_no_events_and_never_throw()
    {
        Gen.Byte.Array[0, 20000].Sample(bytes =>
        {
            var events = new List<ClocksourceEvent>();
            var parser = new ClocksourceEventParser("guest1", Clock(), "random");
            KernelLogFileReader.Read(new MemoryStream(bytes), parser, events, CancellationToken.None);
            parser.Flush(events);
            Assert.Empty(events);
        }, iter: 300);
    }
}
