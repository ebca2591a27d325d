using System.IO.Compression;
using System.Text;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.KernelLog.KernelLogSamples;

namespace KvmTime.Tests.KernelLog;

/// <summary>The prefilter, the remote snippet through a real shell, the streaming file reader and the summary.</summary>
public sealed class KernelLogSourceTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kvmtime-klog-");

    public void Dispose() => dir.Delete(recursive: true);

    private static string AllSamples() => string.Concat(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog")).Order().Select(File.ReadAllText));

    [Fact]
    public async Task Byte_prefilter_keeps_the_same_lines_as_grep_E_with_the_same_pattern()
    {
        var text = AllSamples();
        var path = Path.Combine(dir.FullName, "all.log");
        await File.WriteAllTextAsync(path, text);

        var grep = await LocalTarget.Instance.RunShellAsync($"grep -cE -e {ShellQuote.Single(ClocksourceLogFilter.ExtendedRegex)} {ShellQuote.Single(path)}", null, CancellationToken.None);
        var bytes = Encoding.UTF8.GetBytes(text);
        var found = new List<(int Start, int Length)>();
        ClocksourceLogFilter.FindCandidateLines(bytes, found);

        Assert.Equal(int.Parse(grep.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture), found.Count);
        Assert.Equal(text.Split('\n').Count(l => ClocksourceLogFilter.IsCandidate(l)), found.Count);
        Assert.Equal(found.Order().Distinct(), found);
    }

    [Fact]
    public async Task Path_snippet_sends_the_lines_before_the_first_candidate_so_an_older_boot_is_seen()
    {
        // Real: the older boot's last line names no clocksource (syzkaller 317); gzip on the target too.
        var plain = Path.Combine(dir.FullName, "console.log");
        var gz = Path.Combine(dir.FullName, "console.log.1.gz");
        var text = SampleFiles.Read("kernellog/real/syzkaller-317-seabios-console-kvm-clock-boot.txt");
        await File.WriteAllTextAsync(plain, text);
        await WriteGzip(gz, text);

        var events = await GatherAndParse(new ClocksourceEventQuery { Paths = [plain, gz] });

        Assert.Equal(10, events.Count);
        Assert.All(events, e => Assert.Equal(1, e.Boot));
    }

    [Fact]
    public async Task Path_snippet_through_a_real_shell_reads_plain_and_gz_files_and_names_missing_ones()
    {
        var plain = Path.Combine(dir.FullName, "kern.log");
        var gz = Path.Combine(dir.FullName, "kern.log.2.gz");
        await File.WriteAllTextAsync(plain, SampleFiles.Read("kernellog/watchdog-4.4-kern.log"));
        await WriteGzip(gz, SampleFiles.Read("kernellog/watchdog-5.15-journal.txt"));
        var query = new ClocksourceEventQuery { Paths = [plain, gz], Kinds = [ClocksourceEventKind.WatchdogUnstable] };

        var events = await GatherAndParse(query);

        // File order, and each event belongs to the host its line names, not to the reader.
        Assert.Equal([plain, gz], events.Select(e => e.Source));
        Assert.Equal(["hpet", "hpet"], events.Select(e => e.Watchdog));
        Assert.Equal(506044329 - 505524941, events[1].SkewNs);
        Assert.Equal(["nas", "web01"], events.Select(e => e.ComputerName));

        // One bad path costs only itself: the good file's events still come, and the error names the path.
        var missingPath = Path.Combine(dir.FullName, "no such.log");
        var partial = await GatherAndParseResult(new ClocksourceEventQuery { Paths = [plain, missingPath] });
        Assert.NotEmpty(partial.Events);
        var missing = Assert.Single(partial.Errors);
        Assert.Equal((missingPath, "KernelLogPathNotFound"), (missing.Path, missing.Error.ErrorId));
    }

    [Fact]
    public async Task Since_until_and_clocksource_filters_apply_to_events()
    {
        var plain = Path.Combine(dir.FullName, "journal.txt");
        await File.WriteAllTextAsync(plain, SampleFiles.Read("kernellog/watchdog-5.15-journal.txt"));
        var at = new DateTime(2023, 2, 7, 3, 12, 44, DateTimeKind.Utc);

        var late = await GatherAndParse(new ClocksourceEventQuery { Paths = [plain], SinceUtc = at.AddMilliseconds(125) });
        var early = await GatherAndParse(new ClocksourceEventQuery { Paths = [plain], UntilUtc = at.AddMilliseconds(118.305) });
        var hpet = await GatherAndParse(new ClocksourceEventQuery { Paths = [plain], Clocksources = ["HPET"] });

        Assert.Equal([ClocksourceEventKind.Switched], late.Select(e => e.Kind));
        Assert.Equal([ClocksourceEventKind.WatchdogUnstable], early.Select(e => e.Kind));
        Assert.Equal([ClocksourceEventKind.WatchdogUnstable, ClocksourceEventKind.Switched], hpet.Select(e => e.Kind));
    }

    [Fact]
    public async Task File_reader_streams_gzip_and_skips_a_line_longer_than_its_buffer()
    {
        var gz = Path.Combine(dir.FullName, "messages.1.gz");
        var text = "[    1.000000] clocksource: Switched to clocksource kvm-clock\n" +
            "[    1.500000] tsc: " + new string('x', 3 << 20) + "\n" +
            "[    2.000000] clocksource: Switched to clocksource tsc\n";
        await WriteGzip(gz, text);

        var events = ClocksourceEventReader.ReadLocalFiles([gz], new ClocksourceEventQuery(), "guest1", Clock(), CancellationToken.None).Events;

        Assert.Equal(["kvm-clock", "tsc"], events.Select(e => e.Clocksource));
        Assert.All(events, e => Assert.Equal(gz, e.Source));
    }

    [Fact]
    public void Summary_counts_kinds_and_keeps_the_last_unstable_event()
    {
        var events = ParseSample("watchdog-5.15-journal.txt");

        var summary = Assert.Single(ClocksourceEventSummarizer.Summarize("guest1", events));

        Assert.Equal(events.Count, summary.EventCount);
        Assert.Equal(events.Count, summary.Counts.Values.Sum());
        Assert.Equal(3, summary.Counts["TscUnstable"] + summary.Counts["WatchdogUnstable"]);
        // The block, its "Marking TSC unstable" and "TSC found unstable" lines are one incident.
        Assert.Equal(1, summary.UnstableCount);
        Assert.Equal("TSC found unstable after boot (broken BIOS)", summary.LastUnstable!.Reason);
        Assert.Equal("hpet", summary.LastSwitchedTo);
        Assert.False(summary.Counts.ContainsKey("Calibration"));
    }

    private static async Task<IReadOnlyList<ClocksourceEvent>> GatherAndParse(ClocksourceEventQuery query) => (await GatherAndParseResult(query)).Events;

    private static async Task<KernelLogReadResult> GatherAndParseResult(ClocksourceEventQuery query)
    {
        // The snippet a remote target runs, through a real sh here.
        var nonce = LinuxGatherScript.NewNonce();
        var request = ClocksourceEventReader.Request(query, nonce);
        var gatherNonce = LinuxGatherScript.NewNonce();
        var output = await LocalTarget.Instance.RunShellAsync(LinuxGatherScript.Build(request, gatherNonce), null, CancellationToken.None);
        return ClocksourceEventReader.Parse(LinuxGatherScript.Parse(output.StandardOutput, gatherNonce), nonce, query, "guest1", TimeZoneInfo.Utc);
    }

    private static async Task WriteGzip(string path, string text)
    {
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await gzip.WriteAsync(Encoding.UTF8.GetBytes(text));
    }
}
