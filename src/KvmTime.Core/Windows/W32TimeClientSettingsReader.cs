using System.Globalization;

namespace KvmTime.Windows;

/// <summary>
/// Turns the parsed configuration into typed settings. A setting whose value is not a number where
/// w32time keeps a number is W32TimeConfigurationUnreadable, naming its line.
/// </summary>
internal static class W32TimeClientSettingsReader
{
    /// <summary>w32time keeps poll intervals as powers of two; 2^31 s is already 68 years.</summary>
    private const int LargestPollExponent = 31;

    public static W32TimeClientSettings Read(W32TimeConfiguration configuration, string computerName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var type = configuration.ClientSetting("Type");
        var servers = configuration.ClientSetting("NtpServer");
        var hyperV = configuration.Provider(W32TimeConfiguration.HyperVProvider);
        return new W32TimeClientSettings(
            type is { Value.Length: > 0 } ? type.Value : null,
            servers?.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
            PollInterval(configuration.Setting("MinPollInterval"), computerName),
            PollInterval(configuration.Setting("MaxPollInterval"), computerName),
            Seconds(configuration.ClientSetting("SpecialPollInterval"), computerName),
            hyperV?.Setting("Enabled") is { } enabled ? Number(enabled, computerName) != 0 : null,
            Source(type, servers));
    }

    private static TimeSpan? PollInterval(W32TimeSetting? setting, string computerName)
    {
        if (setting is null)
        {
            return null;
        }

        var exponent = Number(setting, computerName);
        return exponent <= LargestPollExponent
            ? TimeSpan.FromSeconds(Math.Pow(2, exponent))
            : throw W32TimeConfigurationParser.Unreadable(computerName, $"the poll interval line '{setting.Line}' asks for 2^{exponent} seconds");
    }

    private static TimeSpan? Seconds(W32TimeSetting? setting, string computerName) =>
        setting is null ? null : TimeSpan.FromSeconds(Number(setting, computerName));

    /// <summary>A registry DWORD as w32tm prints it: decimal.</summary>
    private static uint Number(W32TimeSetting setting, string computerName) =>
        uint.TryParse(setting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw W32TimeConfigurationParser.Unreadable(computerName, $"the line '{setting.Line}' has no number KvmTime can read");

    /// <summary>Local, Policy, or "Local, Policy" when Type and NtpServer come from different places.</summary>
    private static string? Source(params W32TimeSetting?[] settings)
    {
        var origins = settings.Select(s => s?.Origin).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return origins.Count == 0 ? null : string.Join(", ", origins);
    }
}
