namespace KvmTime.Windows;

/// <summary>
/// The w32time values Group Policy sets, read from the registry (HKLM\SOFTWARE\Policies\Microsoft\W32Time)
/// in the same round trip as the configuration. Registry names do not depend on the display language,
/// so they say Local or Policy where w32tm's origin word is localized.
/// </summary>
internal static class W32TimePolicyValues
{
    /// <summary>The line between w32tm's output and the policy values ("Parameters\Type", one a line).</summary>
    public const string Marker = "[KvmTime.PolicyValues]";

    public const string Script =
        "$out = (w32tm /query /configuration 2>&1) -join \"`n\"\n" +
        "$root = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\W32Time'\n" +
        "$set = foreach ($key in 'Parameters', 'Config', 'TimeProviders\\NtpClient') {\n" +
        "    $item = Get-ItemProperty -LiteralPath \"$root\\$key\" -ErrorAction Ignore\n" +
        "    if ($item) { $item.PSObject.Properties.Name | Where-Object { $_ -notlike 'PS*' } | ForEach-Object { \"$key\\$_\" } }\n" +
        "}\n" +
        "$out + \"`n" + Marker + "`n\" + (@($set) -join \"`n\")";

    /// <summary>w32tm's output, and the policy values when the snippet could list them (null when the marker is missing).</summary>
    public static (string Configuration, IReadOnlySet<string>? PolicyValues) Split(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var at = output.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return (output, null);
        }

        var values = output[(at + Marker.Length)..].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
        return (output[..at], new HashSet<string>(values, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Where a setting comes from by the registry: the NtpClient's Type and NtpServer live under Parameters.</summary>
    public static string Origin(IReadOnlySet<string> policyValues, string key, string name)
    {
        ArgumentNullException.ThrowIfNull(policyValues);
        return policyValues.Contains($"{key}\\{name}") ? "Policy" : "Local";
    }
}
