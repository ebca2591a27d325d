using System.Globalization;
using KvmTime.Linux.KernelLog;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>
/// Real kernel-log excerpts from bug trackers, mailing lists and forums (Samples/kernellog/real)
/// and hand-written samples of the formats no real excerpt shows yet (Samples/kernellog/invented),
/// each read through the file reader the cmdlet uses and compared with its folder's expected-events table.
/// </summary>
public sealed class KernelLogCorpusTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Samples", "kernellog");
    private static readonly string Folder = Path.Combine(Corpus, "real");
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("kvmtime-corpus-");

    public void Dispose() => dir.Delete(recursive: true);

    public static TheoryData<string> Excerpts() => new(Directory.GetFiles(Folder, "*.txt").Select(Path.GetFileName).Order()!);

    public static TheoryData<string, string> Samples()
    {
        var samples = new TheoryData<string, string>();
        foreach (var folder in new[] { "real", "invented" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Corpus, folder), "*.txt").Order())
            {
                samples.Add(folder, Path.GetFileName(file));
            }
        }

        return samples;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_sample_says_whether_it_is_real_or_invented(string folder, string file)
    {
        var header = File.ReadLines(Path.Combine(Corpus, folder, file)).TakeWhile(l => l.StartsWith('#')).ToList();

        var label = folder == "real" ? "# Real excerpt, copied verbatim" : "# Hand-written (invented) sample";
        Assert.Contains(header, l => l.StartsWith(label, StringComparison.Ordinal));
        Assert.Equal(folder == "invented", file.StartsWith("handwritten-", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Excerpts))]
    public void Each_real_excerpt_names_its_public_source(string file)
    {
        var header = File.ReadLines(Path.Combine(Folder, file)).TakeWhile(l => l.StartsWith('#')).ToList();

        Assert.Contains(header, l => l.StartsWith("# Source: https://", StringComparison.Ordinal));
        Assert.True(ExpectedEventTable.Read(Folder).ContainsKey(file), $"{file} has no rows in expected-events.tsv");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_sample_gives_exactly_its_expected_events(string folder, string file)
    {
        var expected = ExpectedEventTable.Read(Path.Combine(Corpus, folder))[file];
        var copy = Path.Combine(dir.FullName, file);
        File.Copy(Path.Combine(Corpus, folder, file), copy);
        if (SavedDate(copy) is { } saved)
        {
            File.SetLastWriteTimeUtc(copy, saved);
        }

        // A reader that knows nothing of the log's machine: no boot time, UTC.
        var result = ClocksourceEventReader.ReadLocalFiles([copy], new ClocksourceEventQuery(), "the-reader", new KernelLogClock(null, TimeZoneInfo.Utc, DateTime.UtcNow), CancellationToken.None);

        Assert.Empty(result.Errors);
        Assert.True(expected.Count == result.Events.Count,
            $"{file}: {result.Events.Count} events ({string.Join(", ", result.Events.Select(e => e.Kind))}), expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            ExpectedEventTable.AssertMatches(file, i, expected[i], result.Events[i]);
        }

        Assert.DoesNotContain(result.Events, e => e.ComputerName == "the-reader");
    }

    private static DateTime? SavedDate(string path) =>
        File.ReadLines(path).TakeWhile(l => l.StartsWith('#')).FirstOrDefault(l => l.StartsWith("# Saved: ", StringComparison.Ordinal)) is { } line
            ? DateTime.ParseExact(line["# Saved: ".Length..][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : null;
}
