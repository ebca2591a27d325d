using System.Text;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>Files as people hand them over: several paths with bad ones among them, UTF-16, huge lines, several boots.</summary>
public sealed class KernelLogRobustnessTests : IDisposable
{
    private static readonly string Real = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog", "real");
    private static readonly string Invented = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog", "invented");
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kvmtime-robust-");

    public void Dispose() => dir.Delete(recursive: true);

    private static KernelLogClock NoBootTime() => new(null, TimeZoneInfo.Utc, DateTime.UtcNow);

    private static KernelLogReadResult Read(IReadOnlyList<string> paths, KernelLogClock? clock = null, ClocksourceEventQuery? query = null) =>
        ClocksourceEventReader.ReadLocalFiles(paths, query ?? new ClocksourceEventQuery(), "the-reader", clock ?? NoBootTime(), CancellationToken.None);

    [Fact]
    public void A_bad_path_and_a_directory_cost_only_themselves()
    {
        var good = Path.Combine(Real, "corefreq-308-dmesg.txt");
        var missing = Path.Combine(dir.FullName, "gone.log");

        var result = Read([missing, dir.FullName, good]);

        Assert.Equal(6, result.Events.Count);
        Assert.All(result.Events, e => Assert.Equal(good, e.Source));
        Assert.Equal([(missing, "KernelLogPathNotFound"), (dir.FullName, "KernelLogPathIsDirectory")], result.Errors.Select(e => (e.Path, e.Error.ErrorId)));
        Assert.Contains("is a directory", result.Errors[1].Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16le-bom")]
    [InlineData("utf-16le")]
    [InlineData("utf-16be-bom")]
    [InlineData("utf-16be")]
    [InlineData("utf-8-bom")]
    public void Utf16_and_bom_files_read_like_utf8(string encoding)
    {
        var text = File.ReadAllText(Path.Combine(Real, "lkml-2603-quoted-lowercase-skew.txt"));
        var utf8 = Path.Combine(dir.FullName, "utf8.log");
        File.WriteAllText(utf8, text, new UTF8Encoding(false));
        var other = Path.Combine(dir.FullName, encoding + ".log");
        var bytes = encoding switch
        {
            "utf-16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            "utf-16le" => Encoding.Unicode.GetBytes(text),
            "utf-16be-bom" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
            "utf-16be" => Encoding.BigEndianUnicode.GetBytes(text),
            _ => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
        };
        File.WriteAllBytes(other, bytes);

        var expected = Read([utf8]).Events;
        var actual = Read([other]).Events;

        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Select(e => (e.Kind, e.SkewNs, e.Cpu, e.Lines.Count)), actual.Select(e => (e.Kind, e.SkewNs, e.Cpu, e.Lines.Count)));
    }

    [Fact]
    public void A_line_longer_than_the_limit_warns_with_file_and_line_number_and_the_rest_is_read()
    {
        var path = Path.Combine(dir.FullName, "long.log");
        File.WriteAllText(path, "[    1.000000] clocksource: Switched to clocksource kvm-clock\nfiller\n[    1.500000] tsc: " + new string('x', KernelLogFileReader.BufferSize + 10) +
            "\n[    2.000000] clocksource: Switched to clocksource tsc");

        var result = Read([path]);

        Assert.Equal(["kvm-clock", "tsc"], result.Events.Select(e => e.Clocksource));
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith(path + ":3:", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Boot_time_dates_only_the_first_boot_of_a_file_and_since_filters_on_it()
    {
        var path = Path.Combine(Invented, "handwritten-two-boots-dmesg.txt");
        var boot = new DateTime(2025, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        var clock = NoBootTime() with { BootTimeUtc = boot };

        var all = Read([path], clock).Events;
        var late = Read([path], clock, new ClocksourceEventQuery { SinceUtc = boot.AddSeconds(1000) }).Events;

        Assert.Equal([boot, boot.AddTicks(5613020), boot.AddTicks(12035510400), boot.AddTicks(12035600040), null, null], all.Select(e => e.TimeCreated));
        Assert.Equal([ClocksourceEventKind.TscUnstable, ClocksourceEventKind.Switched], late.Select(e => e.Kind));
    }

    [Fact]
    public void Without_a_boot_time_a_saved_log_gets_no_dates_and_keeps_file_order()
    {
        var events = Read([Path.Combine(Invented, "handwritten-two-boots-dmesg.txt")]).Events;

        Assert.All(events, e => Assert.Null(e.TimeCreated));
        Assert.Equal([0, 0, 0, 0, 1, 1], events.Select(e => e.Boot));
        Assert.Equal([0.0, 0.561302, 1203.55104, 1203.560004, 0.0, 0.5591], events.Select(e => Math.Round(e.SinceBoot!.Value.TotalSeconds, 6)));
    }

    [Fact]
    public void Summary_groups_by_host_and_boot_and_counts_one_incident_per_watchdog_verdict()
    {
        var events = Read([Path.Combine(Real, "propolis-328-dmesg.txt"), Path.Combine(Real, "corefreq-308-dmesg.txt"), Path.Combine(Invented, "handwritten-two-boots-dmesg.txt")]).Events;

        var summaries = ClocksourceEventSummarizer.Summarize("the-reader", events);

        Assert.Equal([("propolis-328-dmesg.txt", 0), ("corefreq-308-dmesg.txt", 0), ("handwritten-two-boots-dmesg.txt", 0), ("handwritten-two-boots-dmesg.txt", 1)],
            summaries.Select(s => (s.ComputerName, s.Boot)));
        // A block, "Marking TSC unstable" and "TSC found unstable": three unstable events, one incident.
        Assert.Equal([1, 1, 1, 0], summaries.Select(s => s.UnstableCount));
        Assert.Equal(3, summaries[0].Counts["TscUnstable"] + summaries[0].Counts["WatchdogUnstable"]);
    }

    [Fact]
    public void Two_watchdog_verdicts_are_two_incidents_even_close_together()
    {
        var events = KernelLogSamples.Parse(
        [
            "[  100.000000] clocksource: Marking clocksource tsc unstable due to frequency skew",
            "[  100.000100] tsc: Marking TSC unstable due to clocksource watchdog",
            "[  100.200000] clocksource: Marking clocksource hpet unstable due to frequency skew",
        ]);

        Assert.Equal(2, UnstableIncidents.Count(events));
    }
}
