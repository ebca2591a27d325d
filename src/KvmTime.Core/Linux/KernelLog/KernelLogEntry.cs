namespace KvmTime.Linux.KernelLog;

/// <summary>
/// One kernel log line without its stamps: the wall-clock time the line itself carries (never one
/// derived from a boot time), the kernel's boot-relative stamp, and the kernel's message.
/// </summary>
internal readonly record struct KernelLogEntry(DateTime? TimeUtc, TimeSpan? SinceBoot, string Message)
{
    /// <summary>The host a syslog or journal line names, or null when the line names none.</summary>
    public string? Host { get; init; }

    /// <summary>True when the line's stamp had no year and the year was inferred.</summary>
    public bool YearInferred { get; init; }
}
