namespace KvmTime.Windows;

/// <summary>The w32time settings Set-GuestTimeSync changes, as <c>w32tm /query /configuration</c> shows them.</summary>
internal sealed record W32TimeConfiguration(string? NtpServer, string? Type, int? SpecialPollInterval)
{
    /// <summary>One round trip; the setting names are registry value names, not localized.</summary>
    public const string Script = "(w32tm /query /configuration 2>&1) -join \"`n\"";

    /// <summary>
    /// Reads "Name: value (Local)" lines. NtpServer counts only with a colon (the "NtpServer (Local)"
    /// line without one is the NTP server provider's heading).
    /// </summary>
    public static W32TimeConfiguration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            var source = value.LastIndexOf(" (", StringComparison.Ordinal);
            values.TryAdd(line[..colon].Trim(), source > 0 && value.EndsWith(')') ? value[..source] : value);
        }

        return new W32TimeConfiguration(
            values.GetValueOrDefault("NtpServer"),
            values.GetValueOrDefault("Type"),
            int.TryParse(values.GetValueOrDefault("SpecialPollInterval"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var poll) ? poll : null);
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
