namespace KvmTime.Windows;

/// <summary>
/// `w32tm /query /status [/verbose]`, field by field; a field whose line is missing is null.
/// </summary>
internal sealed record W32TimeStatus(
    int? LeapIndicator,
    int? Stratum,
    int? Precision,
    TimeSpan? RootDelay,
    TimeSpan? RootDispersion,
    uint? ReferenceId,
    string? Source,
    string? LastSuccessfulSyncText,
    int? PollIntervalSeconds,
    TimeSpan? PhaseOffset)
{
    /// <summary>Leap indicator 3 means "not synchronized"; stratum 0 or 16 means no usable source; an unknown one is not synchronized.</summary>
    public bool IsSynchronized => LeapIndicator is >= 0 and < 3 && Stratum is > 0 and < 16;
}
