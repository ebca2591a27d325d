using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Windows;

/// <summary>
/// Turns the parsed configuration into typed settings. A setting whose value is not a number where
/// w32time keeps a number is W32TimeConfigurationUnreadable, naming its line.
/// </summary>
internal static class W32TimeClientSettingsReader
{
    /// <summary>w32time keeps poll intervals as powers of two; 2^31 s is already 68 years.</summary>
    private const int LargestPollExponent = 31;

    /// <param name="policyValues">The values Group Policy sets, by the registry, when they could be listed: they replace origin words KvmTime does not know (a localized w32tm).</param>
    public static W32TimeClientSettings Read(W32TimeConfiguration configuration, string computerName, IReadOnlySet<string>? policyValues = null)
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
            Source(policyValues, ("Type", type), ("NtpServer", servers)));
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
            : throw W32TimeConfigurationParser.Unreadable(computerName, string.Format(CultureInfo.InvariantCulture, Messages.W32TimePollExponentTooLarge, setting.Line, exponent));
    }

    private static TimeSpan? Seconds(W32TimeSetting? setting, string computerName) =>
        setting is null ? null : TimeSpan.FromSeconds(Number(setting, computerName));

    /// <summary>A registry DWORD as w32tm prints it: decimal.</summary>
    private static uint Number(W32TimeSetting setting, string computerName) =>
        uint.TryParse(setting.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw W32TimeConfigurationParser.Unreadable(computerName, string.Format(CultureInfo.InvariantCulture, Messages.W32TimeLineNoNumber, setting.Line));

    /// <summary>Local, Policy, or "Local, Policy" when Type and NtpServer come from different places.</summary>
    private static string? Source(IReadOnlySet<string>? policyValues, params (string Name, W32TimeSetting? Setting)[] settings)
    {
        var origins = settings.Where(s => s.Setting is not null).Select(s => Origin(s.Setting!, s.Name, policyValues))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return origins.Count == 0 ? null : string.Join(", ", origins);
    }

    private static string? Origin(W32TimeSetting setting, string name, IReadOnlySet<string>? policyValues) =>
        setting.Origin is "Local" or "Policy" or "NotUsed" || policyValues is null ? setting.Origin : W32TimePolicyValues.Origin(policyValues, "Parameters", name);
}
