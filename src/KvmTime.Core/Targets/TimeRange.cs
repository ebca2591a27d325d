namespace KvmTime.Targets;

/// <summary>Range checks before DateTime and TimeSpan arithmetic on numbers a target printed.</summary>
internal static class TimeRange
{
    /// <summary>No clock offset, frequency or age a parser reads comes near this; TimeSpan still holds it (1e18 ticks).</summary>
    public const double MaxSeconds = 1e11;

    private static readonly double LastUnixSecond = (DateTime.MaxValue - DateTime.UnixEpoch).TotalSeconds - 1;

    /// <summary>Seconds since 1970 as UTC; null when it is not finite or falls outside the years 1970 to 9999.</summary>
    public static DateTime? FromUnixSeconds(double seconds) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= LastUnixSecond ? DateTime.UnixEpoch.AddSeconds(seconds) : null;

    /// <summary>A span of seconds; null when it is not finite or beyond <see cref="MaxSeconds"/>.</summary>
    public static TimeSpan? FromSeconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) <= MaxSeconds ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : null;
}
