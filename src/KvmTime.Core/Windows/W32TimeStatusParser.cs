using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>
/// Reads `w32tm /query /status [/verbose]` by its field labels (<see cref="W32TimeLabels"/>), so a
/// missing line leaves only its own field null. Any line it cannot read is W32TimeStatusUnreadable,
/// naming that line; no other exception leaves.
/// </summary>
internal static partial class W32TimeStatusParser
{
    public static W32TimeStatus Parse(string output, string computerName)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var values = new Dictionary<W32TimeField, (string Value, string Line)>();
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            // A line without a label is a wrapped continuation (long German lines wrap) or an error text.
            if (colon > 0 && W32TimeLabels.Field(line[..colon]) is W32TimeField field)
            {
                values.TryAdd(field, (line[(colon + 1)..].Trim(), line));
            }
        }

        if (values.Count == 0 && W32TimeServiceState.NotRunning(lines, computerName, "'w32tm /query /status'") is { } notRunning)
        {
            throw notRunning;
        }

        if (values.Count == 0)
        {
            throw Unreadable(computerName, lines.Count == 0 ? Messages.NoOutput : string.Format(CultureInfo.InvariantCulture, Messages.W32TimeNoKnownLine, lines[0]));
        }

        return new W32TimeStatus(
            Read(values, W32TimeField.LeapIndicator, LeadingInt, computerName),
            Read(values, W32TimeField.Stratum, LeadingInt, computerName),
            Read(values, W32TimeField.Precision, LeadingInt, computerName),
            Read(values, W32TimeField.RootDelay, Seconds, computerName),
            Read(values, W32TimeField.RootDispersion, Seconds, computerName),
            Read(values, W32TimeField.ReferenceId, Hex, computerName),
            values.TryGetValue(W32TimeField.Source, out var source) ? source.Value : null,
            values.TryGetValue(W32TimeField.LastSuccessfulSyncTime, out var last) ? last.Value : null,
            Read(values, W32TimeField.PollInterval, PollSeconds, computerName),
            Read(values, W32TimeField.PhaseOffset, Seconds, computerName));
    }

    private static T? Read<T>(Dictionary<W32TimeField, (string Value, string Line)> values, W32TimeField field, Func<string, T?> parse, string computerName)
        where T : struct
    {
        if (!values.TryGetValue(field, out var found))
        {
            return null;
        }

        return parse(found.Value) ?? throw Unreadable(computerName, string.Format(CultureInfo.InvariantCulture, Messages.W32TimeFieldNoValue, field, found.Line));
    }

    private static int? LeadingInt(string value) =>
        LeadingIntPattern().Match(value) is { Success: true } m && int.TryParse(m.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>"0.0154902s" or, with a comma decimal separator, "0,0312500s".</summary>
    private static TimeSpan? Seconds(string value) =>
        SecondsPattern().Match(value) is { Success: true } m
        && double.TryParse(m.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? TimeRange.FromSeconds(s) : null;

    private static uint? Hex(string value) =>
        HexPattern().Match(value) is { Success: true } m && uint.TryParse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>"10 (1024s)": the seconds in parentheses.</summary>
    private static int? PollSeconds(string value) =>
        PollPattern().Match(value) is { Success: true } m && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var poll) ? poll : null;

    private static KvmTimeException Unreadable(string computerName, string why) => new(ErrorIds.W32TimeStatusUnreadable, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.W32TimeStatusUnreadable, computerName, why)) { ComputerName = computerName };

    [GeneratedRegex(@"^-?[0-9]+")]
    private static partial Regex LeadingIntPattern();

    [GeneratedRegex(@"^(-?[0-9]+(?:[.,][0-9]+)?)s$")]
    private static partial Regex SecondsPattern();

    [GeneratedRegex(@"^0x([0-9A-Fa-f]{1,8})\b")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"\(([0-9]+)s\)")]
    private static partial Regex PollPattern();
}
