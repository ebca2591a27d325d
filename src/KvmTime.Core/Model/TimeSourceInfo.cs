namespace KvmTime.Model;

/// <summary>One time source of a guest's time daemon (a chronyc sources row or an ntpq -p peer).</summary>
public sealed class TimeSourceInfo
{
    public required string Name { get; init; }

    /// <summary>Selected, Combined, NotCombined, Falseticker, Variable, Unreachable, Candidate, Outlier or None.</summary>
    public required string State { get; init; }

    public int? Stratum { get; init; }

    /// <summary>The reachability register, octal as printed (377 = the last 8 polls answered).</summary>
    public required string Reach { get; init; }

    /// <summary>Seconds since the last sample; null when the source never answered.</summary>
    public long? LastSampleAgeSeconds { get; init; }

    /// <summary>Local clock minus this source at the last sample: positive when the local clock is ahead.</summary>
    public TimeSpan? Offset { get; init; }

    /// <summary>
    /// The offset as measured at the last sample, before later corrections: chrony's bracketed value.
    /// After chronyd steps, Offset says where the clock is now and this says how far off it was.
    /// </summary>
    public TimeSpan? MeasuredOffset { get; init; }

    public bool IsSelected => State == "Selected";

    public bool IsReachable => Reach != "0";
}
