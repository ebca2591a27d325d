using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>
/// Reads `w32tm /query /configuration [/verbose]` by the names before each colon: the registry value
/// names, which w32tm prints untranslated in every display language. Section headers ([Configuration],
/// [TimeProviders]) and provider headers (`NtpClient (Local)`) are found by their shape, not by their
/// position, so a missing line leaves only its own setting absent and the origin words (Local, Policy),
/// which are localized, are kept as printed when KvmTime does not know them. Only KvmTimeException leaves.
/// </summary>
internal static partial class W32TimeConfigurationParser
{
    public const string Command = "'w32tm /query /configuration'";

    public static W32TimeConfiguration Parse(string output, string computerName)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var settings = new Dictionary<string, W32TimeSetting>(StringComparer.OrdinalIgnoreCase);
        var providers = new Dictionary<string, (string? Origin, Dictionary<string, W32TimeSetting> Settings)>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, W32TimeSetting>? provider = null;
        foreach (var line in lines)
        {
            if (SectionPattern().IsMatch(line))
            {
                provider = null;
            }
            else if (ProviderPattern().Match(line) is { Success: true } header)
            {
                provider = OpenProvider(providers, header.Groups[1].Value, Origin(header.Groups[2].Value));
            }
            else if (SettingPattern().Match(line) is { Success: true } setting)
            {
                var (value, origin) = SplitOrigin(line[(setting.Length)..]);
                (provider ?? settings).TryAdd(setting.Groups[1].Value, new W32TimeSetting(value, origin, line));
            }

            // Any other line is an error text, a prompt or a wrapped line: it costs nothing else.
        }

        if (!settings.Keys.Concat(providers.Values.SelectMany(p => p.Settings.Keys)).Any(W32TimeConfigurationNames.IsKnown))
        {
            throw W32TimeServiceState.NotRunning(lines, computerName, Command)
                ?? Unreadable(computerName, lines.Count == 0 ? Messages.NoOutput : string.Format(CultureInfo.InvariantCulture, Messages.W32TimeNoSetting, lines[0]));
        }

        return new W32TimeConfiguration(settings, providers.ToDictionary(
            p => p.Key, p => new W32TimeProvider(p.Key, p.Value.Origin, p.Value.Settings), StringComparer.OrdinalIgnoreCase));
    }

    public static KvmTimeException Unreadable(string computerName, string why) => new(ErrorIds.W32TimeConfigurationUnreadable, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.W32TimeConfigurationUnreadable, computerName, Command, why)) { ComputerName = computerName };

    /// <summary>The settings of a provider block; a block printed twice is read as one.</summary>
    private static Dictionary<string, W32TimeSetting> OpenProvider(Dictionary<string, (string? Origin, Dictionary<string, W32TimeSetting> Settings)> providers, string name, string? origin)
    {
        if (!providers.TryGetValue(name, out var block))
        {
            block = (origin, new Dictionary<string, W32TimeSetting>(StringComparer.OrdinalIgnoreCase));
            providers.Add(name, block);
        }

        return block.Settings;
    }

    /// <summary>" C:\Windows\system32\w32time.dll (Local)": the value before the last parenthesis, the origin inside it.</summary>
    private static (string Value, string? Origin) SplitOrigin(string rest)
    {
        var text = rest.Trim();
        var open = text.LastIndexOf('(');
        return text.EndsWith(')') && open >= 0
            ? (text[..open].Trim(), Origin(text[(open + 1)..^1]))
            : (text, null);
    }

    /// <summary>The English origin words, normalized; any other (localized) word is kept as printed.</summary>
    private static string? Origin(string word) => word.Trim() switch
    {
        "" => null,
        var w when w.Equals("Local", StringComparison.OrdinalIgnoreCase) => "Local",
        var w when w.Equals("Policy", StringComparison.OrdinalIgnoreCase) => "Policy",
        var w when w.Equals("Undefined or NotUsed", StringComparison.OrdinalIgnoreCase) => "NotUsed",
        var w => w,
    };

    [GeneratedRegex(@"^\[[^\[\]]+\]$")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_]*)\s*\(([^()]*)\)$")]
    private static partial Regex ProviderPattern();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_]*)\s*:")]
    private static partial Regex SettingPattern();
}
