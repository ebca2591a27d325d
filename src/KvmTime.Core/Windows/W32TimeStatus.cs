using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>`w32tm /query /status [/verbose]`, read by line position and value shape, never by the localized labels.</summary>
public sealed record W32TimeStatus(
    int LeapIndicator,
    int Stratum,
    int Precision,
    TimeSpan RootDelay,
    TimeSpan RootDispersion,
    uint ReferenceId,
    string Source,
    string LastSuccessfulSyncText,
    int PollIntervalSeconds,
    TimeSpan? PhaseOffset)
{
    /// <summary>Leap indicator 3 means "not synchronized"; stratum 0 or 16 means no usable source.</summary>
    public bool IsSynchronized => LeapIndicator != 3 && Stratum is > 0 and < 16;
}

public static partial class W32TimeStatusParser
{
    // The order w32tm prints in every language (w32tm /query /status, then /verbose's extra lines).
    private const int Leap = 0, StratumLine = 1, PrecisionLine = 2, RootDelayLine = 3, RootDispersionLine = 4,
        ReferenceIdLine = 5, LastSyncLine = 6, SourceLine = 7, PollLine = 8, PhaseOffsetLine = 9;

    public static W32TimeStatus Parse(string output, string computerName)
    {
        ArgumentNullException.ThrowIfNull(output);
        var values = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(Value).ToList();
        if (values.Count < 9)
        {
            throw Unreadable(computerName, $"{values.Count} lines instead of at least 9");
        }

        return new W32TimeStatus(
            LeadingInt(values[Leap], computerName),
            LeadingInt(values[StratumLine], computerName),
            LeadingInt(values[PrecisionLine], computerName),
            Seconds(values[RootDelayLine]) ?? throw Unreadable(computerName, "no root delay"),
            Seconds(values[RootDispersionLine]) ?? throw Unreadable(computerName, "no root dispersion"),
            uint.Parse(HexPattern().Match(values[ReferenceIdLine]).Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            values[SourceLine],
            values[LastSyncLine],
            int.TryParse(PollPattern().Match(values[PollLine]).Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var poll) ? poll : 0,
            values.Count > PhaseOffsetLine ? Seconds(values[PhaseOffsetLine]) : null);
    }

    /// <summary>The value after the label: "Leap Indicator: 0(no warning)", French "Indicateur de saut : 0(...)".</summary>
    private static string Value(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? line : line[(colon + 1)..].Trim();
    }

    private static int LeadingInt(string value, string computerName) =>
        LeadingIntPattern().Match(value) is { Success: true } m ? int.Parse(m.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : throw Unreadable(computerName, $"'{value}' has no number");

    /// <summary>"0.0154902s" or, with a comma decimal separator, "0,0312500s".</summary>
    private static TimeSpan? Seconds(string value) =>
        SecondsPattern().Match(value) is { Success: true } m
        && double.TryParse(m.Groups[1].Value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? TimeSpan.FromSeconds(s) : null;

    private static KvmTimeException Unreadable(string computerName, string why) => new("W32TimeStatusUnreadable", FailureKind.InvalidData,
        $"{computerName}: 'w32tm /query /status' printed something KvmTime cannot read ({why}). Is the Windows Time service running (Start-Service w32time)?") { ComputerName = computerName };

    [GeneratedRegex(@"^-?\d+")]
    private static partial Regex LeadingIntPattern();

    [GeneratedRegex(@"^(-?\d+(?:[.,]\d+)?)s$")]
    private static partial Regex SecondsPattern();

    [GeneratedRegex(@"0x([0-9A-Fa-f]{1,8})")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"\((\d+)s\)")]
    private static partial Regex PollPattern();
}
