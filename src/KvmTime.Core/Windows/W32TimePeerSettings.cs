using System.Globalization;

namespace KvmTime.Windows;

/// <summary>
/// The three w32time settings Set-GuestTimeSync changes (NtpClient's NtpServer, Type and
/// SpecialPollInterval), read from the one parse of <c>w32tm /query /configuration</c>.
/// </summary>
internal sealed record W32TimePeerSettings(string? NtpServer, string? Type, int? SpecialPollInterval)
{
    /// <summary>One round trip; the setting names are registry value names, not localized.</summary>
    public const string Script = "(w32tm /query /configuration 2>&1) -join \"`n\"";

    public static W32TimePeerSettings From(W32TimeConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new W32TimePeerSettings(
            configuration.ClientSetting("NtpServer")?.Value,
            configuration.ClientSetting("Type")?.Value,
            int.TryParse(configuration.ClientSetting("SpecialPollInterval")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var poll) ? poll : null);
    }

    /// <summary>The /syncfromflags value that gives this Type back, for the rollback.</summary>
    public string SyncFromFlags => Type?.ToUpperInvariant() switch
    {
        "NT5DS" => "domhier",
        "ALLSYNC" => "all",
        "NOSYNC" => "no",
        _ => "manual",
    };
}
