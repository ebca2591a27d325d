using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

/// <summary>w32tm status read by label: a missing or damaged line costs that field only, and nothing but W32TimeStatusUnreadable escapes.</summary>
public class W32TimeStatusRobustnessTests
{
    public static TheoryData<string> Samples => new()
    {
        "w32tm-status-verbose-en-US.recorded.txt",
        "w32tm-status-verbose-unsynced-en-US.recorded.txt",
        "w32tm-status-de-DE.documented_format.txt",
        "w32tm-status-fr-FR.documented_format.txt",
        "w32tm-status-verbose-en-US.documented_format.txt",
    };

    private static string[] Lines(string sample) => SampleFiles.ReadBody("windows/" + sample).Split('\n');

    [Fact]
    public void A_missing_stratum_line_leaves_stratum_null_and_shifts_nothing_recorded_output()
    {
        var lines = Lines("w32tm-status-verbose-en-US.recorded.txt").Where(l => !l.StartsWith("Stratum:", StringComparison.Ordinal));

        var status = W32TimeStatusParser.Parse(string.Join('\n', lines), "win1");

        Assert.Null(status.Stratum);
        Assert.Equal("time.windows.com,0x9", status.Source);
        Assert.Equal("9/11/2025 2:32:05 PM", status.LastSuccessfulSyncText);
        Assert.Equal(1024, status.PollIntervalSeconds);
        Assert.Equal(0x14653909u, status.ReferenceId);
        Assert.False(status.IsSynchronized);
    }

    [Fact]
    public void A_missing_reference_id_line_is_null_not_a_format_exception_recorded_output()
    {
        var lines = Lines("w32tm-status-verbose-en-US.recorded.txt").Where(l => !l.StartsWith("ReferenceId:", StringComparison.Ordinal));

        var status = W32TimeStatusParser.Parse(string.Join('\n', lines), "win1");

        Assert.Null(status.ReferenceId);
        Assert.Equal(4, status.Stratum);
    }

    [Fact]
    public void A_damaged_line_is_W32TimeStatusUnreadable_naming_that_line_recorded_output()
    {
        var text = SampleFiles.ReadBody("windows/w32tm-status-verbose-en-US.recorded.txt")
            .Replace("ReferenceId: 0x14653909 (source IP:  20.101.57.9)", "ReferenceId: (source IP:  20.101.57.9)", StringComparison.Ordinal);

        var e = Assert.Throws<KvmTimeException>(() => W32TimeStatusParser.Parse(text, "win1"));

        Assert.Equal("W32TimeStatusUnreadable", e.ErrorId);
        Assert.Contains("'ReferenceId: (source IP:  20.101.57.9)'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Dropping_any_one_line_changes_only_its_own_field(string sample)
    {
        var lines = Lines(sample);
        var whole = W32TimeStatusParser.Parse(string.Join('\n', lines), "win1");
        for (var i = 0; i < lines.Length; i++)
        {
            var status = W32TimeStatusParser.Parse(string.Join('\n', lines.Where((_, j) => j != i)), "win1");
            var differences = Fields(whole).Zip(Fields(status)).Count(pair => !Equals(pair.First, pair.Second));

            Assert.True(differences <= 1, $"{sample}: dropping line {i + 1} '{lines[i]}' changed {differences} fields");
            Assert.All(Fields(whole).Zip(Fields(status)), pair => Assert.True(Equals(pair.First, pair.Second) || pair.Second is null));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Cutting_the_output_anywhere_gives_a_status_or_W32TimeStatusUnreadable(string sample)
    {
        var text = SampleFiles.ReadBody("windows/" + sample);
        for (var length = 0; length <= text.Length; length++)
        {
            try
            {
                W32TimeStatusParser.Parse(text[..length], "win1");
            }
            catch (KvmTimeException e)
            {
                Assert.Equal("W32TimeStatusUnreadable", e.ErrorId);
            }
        }
    }

    private static object?[] Fields(W32TimeStatus s) =>
        [s.LeapIndicator, s.Stratum, s.Precision, s.RootDelay, s.RootDispersion, s.ReferenceId, s.Source, s.LastSuccessfulSyncText, s.PollIntervalSeconds, s.PhaseOffset];
}
