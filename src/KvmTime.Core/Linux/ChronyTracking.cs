using System.Globalization;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>What chronyd says about its own clock (chronyc tracking), in one sign convention.</summary>
/// <param name="Offset">System clock minus true time: positive when the clock is ahead (chrony prints "fast").</param>
/// <param name="FrequencyPpm">Positive when the uncorrected clock runs fast (chrony prints "ppm fast").</param>
internal sealed record ChronyTrackingData(string ReferenceId, string? ReferenceName, int Stratum, TimeSpan Offset, double FrequencyPpm, string LeapStatus)
{
    /// <summary>00000000 means no reference yet; 7F7F0101 is chronyd's local mode, i.e. following nothing.</summary>
    public bool IsSynchronized => LeapStatus != "Not synchronised" && ReferenceId is not ("00000000" or "7F7F0101");
}

/// <summary>
/// Parses chronyc tracking, both CSV (-c) and human output. The sign conventions differ: the CSV's
/// system time is positive when the clock is slow, its frequency positive when the clock is fast.
/// </summary>
internal static class ChronyTracking
{
    public static ChronyTrackingData? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("Reference ID", StringComparison.Ordinal) ? ParseHuman(text) : ParseCsv(text);
    }

    public static ChronyTrackingData? ParseCsv(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var f = line?.Split(',');
        if (f is null || f.Length < 14 || !int.TryParse(f[2], CultureInfo.InvariantCulture, out var stratum)
            || !TryDouble(f[4], out var slowSeconds) || !TryDouble(f[7], out var frequency))
        {
            return null;
        }

        return new ChronyTrackingData(f[0], NullIfEmpty(f[1]), stratum, Seconds(-slowSeconds), frequency, f[13]);
    }

    public static ChronyTrackingData? ParseHuman(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = LabelledLines.Parse(text, ':');

        if (!fields.TryGetValue("Reference ID", out var reference)
            || !fields.TryGetValue("Stratum", out var stratumText) || !int.TryParse(stratumText, CultureInfo.InvariantCulture, out var stratum)
            || !fields.TryGetValue("System time", out var systemTime) || !fields.TryGetValue("Frequency", out var frequencyText))
        {
            return null;
        }

        // "CB00710F (ntp1.example.net)"; chrony before 3.0 printed the address first: "192.0.2.1 (ntp1...)".
        var parts = reference.Split(' ', 2, StringSplitOptions.TrimEntries);
        var name = parts.Length > 1 ? parts[1].Trim('(', ')') : null;

        // "0.000006523 seconds slow of NTP time" -> the clock is behind -> negative offset.
        var system = systemTime.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var frequency = frequencyText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (system.Length < 3 || !TryDouble(system[0], out var seconds) || frequency.Length < 3 || !TryDouble(frequency[0], out var ppm))
        {
            return null;
        }

        return new ChronyTrackingData(parts[0], name, stratum,
            Seconds(system[2] == "slow" ? -seconds : seconds),
            frequency[2] == "slow" ? -ppm : ppm,
            fields.GetValueOrDefault("Leap status", "Not synchronised"));
    }

    /// <summary>An invariant, ASCII-digit number within <see cref="TimeRange.MaxSeconds"/>: NaN, infinities and absurd magnitudes are unreadable.</summary>
    internal static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && Math.Abs(value) <= TimeRange.MaxSeconds;

    /// <summary>Seconds read by <see cref="TryDouble"/> (or less): always within TimeSpan's range.</summary>
    internal static TimeSpan Seconds(double seconds) => TimeRange.FromSeconds(seconds) ?? throw new ArgumentOutOfRangeException(nameof(seconds));

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
