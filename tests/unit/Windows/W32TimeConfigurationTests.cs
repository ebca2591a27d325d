using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

/// <summary>w32tm /query /configuration read by value name, over the recorded outputs in Samples/windows.</summary>
public class W32TimeConfigurationTests
{
    private static W32TimeConfiguration Parse(string sample) => W32TimeConfigurationParser.Parse(SampleFiles.ReadBody("windows/" + sample), "win1");

    private static W32TimeClientSettings Settings(string sample) => W32TimeClientSettingsReader.Read(Parse(sample), "win1");

    [Fact]
    public void An_ntp_client_with_one_peer_is_read_recorded_output()
    {
        var settings = Settings("w32tm-configuration-verbose-en-US-ntp.recorded.txt");

        Assert.Equal("NTP", settings.SyncType);
        Assert.Equal(["ntp0.as34288.net,0x9"], settings.NtpServers);
        Assert.Equal(TimeSpan.FromSeconds(64), settings.MinPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(64), settings.MaxPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(64), settings.SpecialPollInterval);
        Assert.Equal("Local", settings.Source);
        Assert.Null(settings.HyperVTimeProviderEnabled);
    }

    [Fact]
    public void Empty_values_and_the_not_used_origin_are_kept_recorded_output()
    {
        var configuration = Parse("w32tm-configuration-verbose-en-US-ntp.recorded.txt");

        Assert.Equal(new W32TimeSetting(string.Empty, "NotUsed", "FileLogName:  (Undefined or NotUsed)"), configuration.Setting("FileLogName"));
        Assert.Equal(@"C:\WINDOWS\system32\w32time.dll", configuration.ClientSetting("DllName")?.Value);
        // The NtpClient's NtpServer setting and the NtpServer provider are different things.
        Assert.Equal("ntp0.as34288.net,0x9", configuration.ClientSetting("NtpServer")?.Value);
        Assert.Equal("Local", configuration.Provider("NtpServer")?.Origin);
        // EventLogFlags appears in [Configuration] (2) and in the NtpClient block (1): each keeps its own.
        Assert.Equal("2", configuration.Setting("EventLogFlags")?.Value);
        Assert.Equal("1", configuration.ClientSetting("EventLogFlags")?.Value);
    }

    [Fact]
    public void A_domain_member_with_the_hyperv_provider_is_read_though_every_line_is_a_paragraph_recorded_output()
    {
        var configuration = Parse("w32tm-configuration-en-US-nt5ds-vmic.recorded.txt");
        var settings = W32TimeClientSettingsReader.Read(configuration, "win1");

        Assert.Equal("NT5DS", settings.SyncType);
        Assert.Null(settings.NtpServers);
        Assert.Equal(TimeSpan.FromSeconds(64), settings.MinPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(1024), settings.MaxPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(3600), settings.SpecialPollInterval);
        Assert.True(settings.HyperVTimeProviderEnabled);
        Assert.Equal(["NtpClient", "NtpServer", "VMICTimeProvider"], configuration.Providers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("1", configuration.Provider("NtpServer")?.Setting("Enabled")?.Value);
        Assert.Equal(@"C:\Windows\System32\vmictimeprovider.dll", configuration.Provider("VMICTimeProvider")?.Setting("DllName")?.Value);
    }

    [Fact]
    public void A_ptp_machine_without_an_ntp_client_block_leaves_the_client_settings_null_recorded_output()
    {
        var configuration = Parse("w32tm-configuration-en-US-ptp.recorded.txt");
        var settings = W32TimeClientSettingsReader.Read(configuration, "win1");

        Assert.Null(settings.SyncType);
        Assert.Null(settings.NtpServers);
        Assert.Null(settings.SpecialPollInterval);
        Assert.Null(settings.Source);
        Assert.Equal(TimeSpan.FromSeconds(1024), settings.MaxPollInterval);
        Assert.Equal(@"C:\WINDOWS\system32\ptpprov.dll", configuration.Provider("PtpClient")?.Setting("DllName")?.Value);
    }

    [Fact]
    public void Settings_from_group_policy_say_so_documented_format()
    {
        var settings = Settings("w32tm-configuration-policy-en-US.documented_format.txt");

        Assert.Equal("NTP", settings.SyncType);
        Assert.Equal(["ntp1.example.org,0x8", "ntp2.example.org,0x8"], settings.NtpServers);
        Assert.Equal(TimeSpan.FromSeconds(900), settings.SpecialPollInterval);
        Assert.Equal("Policy", settings.Source);
        Assert.False(settings.HyperVTimeProviderEnabled);
    }

    [Fact]
    public void Origin_words_kvmtime_does_not_know_are_kept_as_printed_and_cost_no_value_recorded_output()
    {
        // Hand-made from the recorded output: other origin words stand for a localized w32tm (not a real translation).
        var text = SampleFiles.ReadBody("windows/w32tm-configuration-verbose-en-US-ntp.recorded.txt").Replace("(Local)", "(Lokale Einstellung)", StringComparison.Ordinal);

        var settings = W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1");

        Assert.Equal("NTP", settings.SyncType);
        Assert.Equal(["ntp0.as34288.net,0x9"], settings.NtpServers);
        Assert.Equal(TimeSpan.FromSeconds(64), settings.MaxPollInterval);
        Assert.Equal("Lokale Einstellung", settings.Source);
    }

    [Fact]
    public void A_stopped_time_service_is_W32TimeServiceNotRunning_recorded_output()
    {
        var e = Assert.Throws<KvmTimeException>(() => Parse("w32tm-service-not-started-en-US.recorded.txt"));

        Assert.Equal(ErrorIds.W32TimeServiceNotRunning, e.ErrorId);
        Assert.Contains("w32tm /query /configuration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_output_is_not_a_configuration_recorded_output()
    {
        var e = Assert.Throws<KvmTimeException>(() => Parse("w32tm-status-verbose-zh-CN.recorded.txt"));

        Assert.Equal(ErrorIds.W32TimeConfigurationUnreadable, e.ErrorId);
    }

    [Fact]
    public void A_damaged_number_is_W32TimeConfigurationUnreadable_naming_its_line_recorded_output()
    {
        var text = SampleFiles.ReadBody("windows/w32tm-configuration-en-US-nt5ds-vmic.recorded.txt")
            .Replace("SpecialPollInterval: 3600 (Local)", "SpecialPollInterval: 36O0 (Local)", StringComparison.Ordinal);

        var e = Assert.Throws<KvmTimeException>(() => W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1"));

        Assert.Equal(ErrorIds.W32TimeConfigurationUnreadable, e.ErrorId);
        Assert.Contains("'SpecialPollInterval: 36O0 (Local)'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_poll_interval_beyond_what_w32time_can_mean_is_unreadable_not_an_overflow_recorded_output()
    {
        var text = SampleFiles.ReadBody("windows/w32tm-configuration-en-US-ptp.recorded.txt")
            .Replace("MaxPollInterval: 10 (Local)", "MaxPollInterval: 4294967295 (Local)", StringComparison.Ordinal);

        Assert.Equal(ErrorIds.W32TimeConfigurationUnreadable, Assert.Throws<KvmTimeException>(() =>
            W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1")).ErrorId);
    }
}

/// <summary>The policy values the configuration snippet lists from the registry, after w32tm's output.</summary>
public class W32TimePolicyValuesTests
{
    private static readonly string Recorded = SampleFiles.ReadBody("windows/w32tm-configuration-verbose-en-US-ntp.recorded.txt");

    [Fact]
    public void Without_the_marker_the_output_is_w32tm_alone_recorded_output()
    {
        var (configuration, policy) = W32TimePolicyValues.Split(Recorded);

        Assert.Equal(Recorded, configuration);
        Assert.Null(policy);
    }

    [Fact]
    public void The_registry_names_the_origin_where_w32tm_prints_a_word_kvmtime_does_not_know_recorded_output()
    {
        // Hand-made from the recorded output: "(Lokal)" stands for a localized origin word (not a real translation).
        var output = Recorded.Replace("(Local)", "(Lokal)", StringComparison.Ordinal) + "\n" + W32TimePolicyValues.Marker + "\nParameters\\Type\nTimeProviders\\NtpClient\\SpecialPollInterval\n";
        var (text, policy) = W32TimePolicyValues.Split(output);

        var settings = W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1", policy);

        Assert.Equal("Policy, Local", settings.Source);
        Assert.Equal("NTP", settings.SyncType);
        Assert.Equal(["ntp0.as34288.net,0x9"], settings.NtpServers);
    }

    [Fact]
    public void An_english_origin_word_is_what_w32tm_says_whatever_the_registry_lists_recorded_output()
    {
        var (text, policy) = W32TimePolicyValues.Split(Recorded + "\n" + W32TimePolicyValues.Marker + "\nParameters\\Type\n");

        Assert.Equal("Local", W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1", policy).Source);
    }

    [Fact]
    public void An_empty_policy_list_means_every_value_is_local_recorded_output()
    {
        var (text, policy) = W32TimePolicyValues.Split(Recorded.Replace("(Local)", "(Lokal)", StringComparison.Ordinal) + "\n" + W32TimePolicyValues.Marker + "\n");

        Assert.Empty(policy!);
        Assert.Equal("Local", W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "win1"), "win1", policy).Source);
    }
}
