namespace KvmTime.Host;

/// <summary>
/// One reading of a guest's clock against the host's. The host time is the midpoint of the call
/// that read the guest, so the offset is off by at most half the round trip.
/// </summary>
internal sealed record GuestClockSample(long GuestUnixNanoseconds, long HostBeforeNanoseconds, long HostAfterNanoseconds)
{
    public long HostMidpointNanoseconds => HostBeforeNanoseconds + ((HostAfterNanoseconds - HostBeforeNanoseconds) / 2);

    /// <summary>Guest time minus host time: positive when the guest is ahead.</summary>
    public TimeSpan Offset => NanosecondsToTimeSpan(GuestUnixNanoseconds - HostMidpointNanoseconds);

    /// <summary>The host-side round trip of the reading; the offset is uncertain by half of it.</summary>
    public TimeSpan RoundTrip => NanosecondsToTimeSpan(HostAfterNanoseconds - HostBeforeNanoseconds);

    public static long UnixNanosecondsNow() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    public static TimeSpan NanosecondsToTimeSpan(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);
}
