using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

public class W32TimeSyncStatusTests
{
    [Fact]
    public void Verbose_status_maps_to_a_synchronised_w32time_status_recorded_output()
    {
        var status = W32TimeSyncStatus.ToStatus(W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-verbose-en-US.recorded.txt"), "win1"), "win1");

        Assert.Equal("w32time", status.Daemon);
        Assert.True(status.IsSynchronized);
        Assert.Equal("Normal", status.LeapStatus);
        Assert.NotNull(status.Offset);
        Assert.NotNull(status.Stratum);
    }

    [Fact]
    public void Local_cmos_clock_is_not_synchronised_and_gets_advice_recorded_output()
    {
        var status = W32TimeSyncStatus.ToStatus(W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-verbose-unsynced-en-US.recorded.txt"), "win1"), "win1");

        Assert.False(status.IsSynchronized);
        Assert.Equal("Not synchronised", status.LeapStatus);
        Assert.Contains(status.Recommendations, r => r.Contains("manualpeerlist", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(W32TimeSyncStatus.Script)]
    [InlineData(W32TimePolicyValues.Script)]
    public void The_remote_snippets_are_valid_powershell(string script)
    {
        System.Management.Automation.Language.Parser.ParseInput(script, out _, out var errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void The_configuration_joins_the_status_with_its_advice_recorded_output()
    {
        var status = W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-verbose-en-US.recorded.txt"), "win1");
        var configuration = W32TimeConfigurationParser.Parse(SampleFiles.ReadBody("windows/w32tm-configuration-en-US-nt5ds-vmic.recorded.txt"), "win1");

        var result = W32TimeSyncStatus.ToStatus(status, "win1", W32TimeClientSettingsReader.Read(configuration, "win1"));

        Assert.Equal("NT5DS", result.SyncType);
        Assert.Null(result.NtpServers);
        Assert.Equal(TimeSpan.FromSeconds(1024), result.MaxPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(3600), result.SpecialPollInterval);
        Assert.True(result.HyperVTimeProviderEnabled);
        Assert.Equal("Local", result.ConfigurationSource);
        Assert.Contains(result.Recommendations, r => r.StartsWith("VMICTimeProvider", StringComparison.Ordinal));
        Assert.True(result.IsSynchronized);
    }

    [Fact]
    public void Without_a_configuration_the_status_stands_and_says_why_recorded_output()
    {
        var status = W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-verbose-en-US.recorded.txt"), "win1");

        var result = W32TimeSyncStatus.ToStatus(status, "win1", null, "win1: 'w32tm /query /configuration' printed something KvmTime cannot read (no output).");

        Assert.Null(result.SyncType);
        Assert.True(result.IsSynchronized);
        Assert.Contains(result.Recommendations, r => r.Contains("configuration could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void A_german_status_reads_the_same_way_documented_format()
    {
        var english = W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-en-US.documented_format.txt"), "w");
        var german = W32TimeStatusParser.Parse(SampleFiles.ReadBody("windows/w32tm-status-de-DE.documented_format.txt"), "w");

        Assert.Equal(W32TimeSyncStatus.ToStatus(english, "w").IsSynchronized, W32TimeSyncStatus.ToStatus(german, "w").IsSynchronized);
    }
}

public class W32TimeResyncTests
{
    [Theory]
    [InlineData("0\nSending resync command to local computer\nThe command completed successfully.", 0, "The command completed successfully.")]
    [InlineData("0\nEnvoi de la commande de resynchronisation à l'ordinateur local\nLa commande s'est déroulée correctement.", 0, "correctement.")]
    [InlineData("-2147023838\nThe computer did not resync because no time data was available.", -2147023838, "no time data")]
    [InlineData("garbage", -1, "")]
    public void Success_is_the_exit_code_whatever_the_language_documented_format(string output, int code, string messagePart)
    {
        var (exitCode, message) = W32TimeResync.Parse(output);

        Assert.Equal(code, exitCode);
        Assert.Contains(messagePart, message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_resync_snippet_is_valid_powershell()
    {
        System.Management.Automation.Language.Parser.ParseInput(W32TimeResync.Script, out _, out var errors);

        Assert.Empty(errors);
    }
}
