using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

/// <summary>A missing or cut line of w32tm /query /configuration costs its own setting only; nothing but KvmTimeException escapes.</summary>
public class W32TimeConfigurationRobustnessTests
{
    public static TheoryData<string> RecordedSamples => new()
    {
        "w32tm-configuration-verbose-en-US-ntp.recorded.txt",
        "w32tm-configuration-en-US-nt5ds-vmic.recorded.txt",
        "w32tm-configuration-en-US-ptp.recorded.txt",
    };

    [Theory]
    [MemberData(nameof(RecordedSamples))]
    public void Dropping_any_one_line_never_shifts_a_setting_recorded_output(string sample)
    {
        var lines = SampleFiles.ReadBody("windows/" + sample).Split('\n');
        var whole = Fields(Read(string.Join('\n', lines)));
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = Fields(Read(string.Join('\n', lines.Where((_, j) => j != i))));

            // A dropped setting empties its own field; a dropped provider header may empty that provider's: nothing else moves.
            Assert.All(whole.Zip(fields), pair => Assert.True(Same(pair.First, pair.Second) || pair.Second is null, $"{sample}: dropping line {i + 1} '{lines[i]}' changed {pair.First} to {pair.Second}"));
            if (lines[i].Contains(':', StringComparison.Ordinal))
            {
                // Source is derived from the Type and NtpServer lines, so it may go with either: it is left out of the count.
                Assert.True(whole[..^1].Zip(fields[..^1]).Count(pair => !Same(pair.First, pair.Second)) <= 1, $"{sample}: dropping line {i + 1} '{lines[i]}' changed more than its own field");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RecordedSamples))]
    public void Cutting_the_output_anywhere_gives_settings_or_a_specific_error_recorded_output(string sample)
    {
        var text = SampleFiles.ReadBody("windows/" + sample);
        for (var length = 0; length <= text.Length; length++)
        {
            try
            {
                Read(text[..length]);
            }
            catch (KvmTimeException e)
            {
                Assert.Equal(ErrorIds.W32TimeConfigurationUnreadable, e.ErrorId);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("[Configuration]\n[TimeProviders]")]
    [InlineData("The following error occurred: The specified service does not exist as an installed service. (0x80070424)")]
    public void Output_without_a_setting_is_W32TimeConfigurationUnreadable(string text) =>
        Assert.Equal(ErrorIds.W32TimeConfigurationUnreadable, Assert.Throws<KvmTimeException>(() => Read(text)).ErrorId);

    private static W32TimeClientSettings Read(string text) => W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1");

    private static object?[] Fields(W32TimeClientSettings s) =>
        [s.SyncType, s.NtpServers is null ? null : string.Join(' ', s.NtpServers), s.MinPollInterval, s.MaxPollInterval, s.SpecialPollInterval, s.HyperVTimeProviderEnabled, s.Source];

    private static bool Same(object? a, object? b) => Equals(a, b);
}
