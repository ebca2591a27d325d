using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;

namespace KvmTime.Sync;

/// <summary>Judges a finished sync against the tolerance: -MaxOffset when given, else one second.</summary>
internal static class TimeSyncVerdict
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(1);

    public static TimeSyncResult Judge(TimeSyncResult result, TimeSpan? maxOffset)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            return result;
        }

        var tolerance = maxOffset ?? DefaultTolerance;
        if (result.OffsetAfter is { } after && after.Duration() <= tolerance)
        {
            return result;
        }

        var why = result.OffsetAfter is { } left
            ? string.Format(CultureInfo.InvariantCulture, Messages.OffsetStillAbove, Format(left), Format(tolerance))
            : Messages.OffsetNotMeasured;
        return result.AsFailed(string.Format(CultureInfo.InvariantCulture, Messages.OffsetAboveMaximum, result.Message, why));
    }

    /// <summary>A signed offset in the unit that reads best: "+3600.002 s", "-12.4 ms".</summary>
    public static string Format(TimeSpan offset)
    {
        var seconds = offset.TotalSeconds;
        return Math.Abs(seconds) >= 1
            ? seconds.ToString("+0.000' s';-0.000' s'", CultureInfo.InvariantCulture)
            : (seconds * 1000).ToString("+0.0' ms';-0.0' ms';0.0' ms'", CultureInfo.InvariantCulture);
    }
}
