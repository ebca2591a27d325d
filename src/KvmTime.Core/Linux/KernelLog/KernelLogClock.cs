namespace KvmTime.Linux.KernelLog;

/// <summary>
/// What it takes to turn a kernel log line's stamp into UTC: the boot time for boot-relative
/// [  97.769] stamps, the target's time zone for syslog stamps, and a reference time that supplies
/// the year a traditional syslog stamp lacks (the file's modification time, or now).
/// </summary>
internal sealed record KernelLogClock(DateTime? BootTimeUtc, TimeZoneInfo TimeZone, DateTime ReferenceUtc)
{
    /// <summary>A clock for logs written by this machine, now.</summary>
    public static KernelLogClock Local(DateTime? bootTimeUtc) => new(bootTimeUtc, TimeZoneInfo.Local, DateTime.UtcNow);

    /// <summary>UTC from a stamp written in the target's local time.</summary>
    public DateTime FromTargetLocal(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        try
        {
            return TimeZoneInfo.ConvertTimeToUtc(unspecified, TimeZone);
        }
        catch (ArgumentException)
        {
            // A stamp inside a daylight-saving gap does not exist; the standard offset is the honest guess.
            return DateTime.SpecifyKind(unspecified - TimeZone.BaseUtcOffset, DateTimeKind.Utc);
        }
    }

    /// <summary>
    /// The year for a "May  1 12:00:00" stamp: the reference year, or the one before when that
    /// would put the line more than a day after the reference (a December line in a January file).
    /// </summary>
    public int YearFor(int month, int day)
    {
        var reference = TimeZoneInfo.ConvertTimeFromUtc(ReferenceUtc, TimeZone);
        var year = reference.Year;
        if (new DateTime(LeapSafe(year, month, day), month, day, 0, 0, 0, DateTimeKind.Unspecified) > reference.AddDays(1))
        {
            year--;
        }

        return LeapSafe(year, month, day);
    }

    // February 29 belongs to the latest leap year not after the candidate.
    private static int LeapSafe(int year, int month, int day)
    {
        while (month == 2 && day == 29 && !DateTime.IsLeapYear(year))
        {
            year--;
        }

        return year;
    }
}
