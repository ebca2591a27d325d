using KvmTime.Linux.KernelLog;
using Xunit;

namespace KvmTime.Tests.KernelLog;

/// <summary>Stamps of every source: boot-relative, ISO 8601 (journal short-iso-precise, rsyslog), syslog with and without a year.</summary>
public class KernelLogLineTests
{
    private static readonly DateTime Boot = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("UTC+01:00", TimeSpan.FromHours(1), "UTC+01:00", "UTC+01:00");

    private static KernelLogClock Clock(DateTime reference, TimeZoneInfo? zone = null) => new(Boot, zone ?? TimeZoneInfo.Utc, reference);

    // A syslog file last written on 2026-05-02 in Berlin: year-less stamps after that belong to an earlier year.
    private static KernelLogEntry ParseSyslog(string line) => KernelLogLine.Parse(line, Clock(new DateTime(2026, 5, 2, 0, 0, 0, DateTimeKind.Utc), Berlin))!.Value;

    private static string Utc(KernelLogEntry entry) => entry.TimeUtc!.Value.ToString("s", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Boot_relative_stamp_alone_is_no_wall_clock_time_the_parser_adds_the_boot_time()
    {
        var entry = KernelLogLine.Parse("[   97.769021] clocksource: Switched to clocksource tsc", Clock(DateTime.UtcNow))!.Value;
        var events = new List<KvmTime.Model.ClocksourceEvent>();
        new ClocksourceEventParser("guest1", Clock(DateTime.UtcNow), "dmesg").Push("[   97.769021] clocksource: Switched to clocksource tsc", events);

        Assert.Null(entry.TimeUtc);
        Assert.Equal(Boot + TimeSpan.FromTicks(977690210), Assert.Single(events).TimeCreated);
        Assert.Equal(TimeSpan.FromTicks(977690210), entry.SinceBoot);
        Assert.Equal("clocksource: Switched to clocksource tsc", entry.Message);
    }

    [Fact]
    public void Boot_relative_stamp_without_a_boot_time_has_no_absolute_time()
    {
        var entry = KernelLogLine.Parse("<6>[    5.000000] clocksource: Switched to clocksource tsc", Clock(DateTime.UtcNow) with { BootTimeUtc = null })!.Value;

        Assert.Null(entry.TimeUtc);
        Assert.Equal(TimeSpan.FromSeconds(5), entry.SinceBoot);
    }

    [Theory]
    [InlineData("2024-05-01T12:00:00.123456+0000 host kernel: clocksource: Switched to clocksource tsc", "2024-05-01T12:00:00.1234560Z")]
    [InlineData("2024-05-01T14:00:00.123456+0200 host kernel: clocksource: Switched to clocksource tsc", "2024-05-01T12:00:00.1234560Z")]
    [InlineData("2024-05-01T07:30:00.5-04:30 host kernel: clocksource: Switched to clocksource tsc", "2024-05-01T12:00:00.5000000Z")]
    [InlineData("2024-05-01T12:00:00.123456789Z host kernel: clocksource: Switched to clocksource tsc", "2024-05-01T12:00:00.1234567Z")]
    [InlineData("2024-05-01T13:00:00 host kernel: [   97.769021] clocksource: Switched to clocksource tsc", "2024-05-01T12:00:00.0000000Z")]
    public void Iso_8601_stamps_of_the_journal_and_rsyslog(string line, string expectedUtc)
    {
        var entry = KernelLogLine.Parse(line, Clock(DateTime.UtcNow, Berlin))!.Value;

        Assert.Equal(expectedUtc, entry.TimeUtc!.Value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("clocksource: Switched to clocksource tsc", entry.Message);
    }

    [Theory]
    [InlineData("May  1 13:00:00 host kernel: clocksource: Switched to clocksource tsc", "2026-05-01T12:00:00")]
    [InlineData("Dec 31 23:59:59 host kernel: clocksource: Switched to clocksource tsc", "2025-12-31T22:59:59")]
    [InlineData("Jan  2 00:00:01 host kernel: clocksource: Switched to clocksource tsc", "2026-01-01T23:00:01")]
    [InlineData("May  1 2019 13:00:00 host kernel: clocksource: Switched to clocksource tsc", "2019-05-01T12:00:00")]
    [InlineData("2019 May  1 13:00:00 host kernel: clocksource: Switched to clocksource tsc", "2019-05-01T12:00:00")]
    [InlineData("Feb 29 13:00:00 host kernel[0]: clocksource: Switched to clocksource tsc", "2024-02-29T12:00:00")]
    public void Syslog_stamps_with_and_without_a_year_in_the_targets_zone(string line, string expectedUtc)
    {
        var entry = ParseSyslog(line);

        Assert.Equal(expectedUtc, Utc(entry));
        Assert.Equal(DateTimeKind.Utc, entry.TimeUtc!.Value.Kind);
    }

    [Theory]
    [InlineData("May  1 13:00:00 host kernel:[   97.769021] clocksource: Switched to clocksource tsc", "host")]
    [InlineData("/var/log/kern.log:May  1 13:00:00 host kernel: [   97.769021] clocksource: Switched to clocksource tsc", "host")]
    [InlineData("kern.log.1:May  1 13:00:00 host kernel: [   97.769021] clocksource: Switched to clocksource tsc", "host")]
    [InlineData("messages:512:May  1 13:00:00 host kernel: [   97.769021] clocksource: Switched to clocksource tsc", "host")]
    public void A_grep_file_name_prefix_is_dropped_and_a_syslog_stamp_is_never_taken_for_one(string line, string host)
    {
        var entry = ParseSyslog(line);

        Assert.Equal("2026-05-01T12:00:00", Utc(entry));
        Assert.Equal(host, entry.Host);
        Assert.Equal(TimeSpan.FromTicks(977690210), entry.SinceBoot);
        Assert.Equal("clocksource: Switched to clocksource tsc", entry.Message);
    }

    [Theory]
    [InlineData("kern.log:May  1 13:00:00 host ntpd[42]: Switched to clocksource tsc")]
    [InlineData("May  1 13:00:00 host ntpd[42]: Switched to clocksource tsc")]
    [InlineData("2024-05-01T12:00:00.123456+0000 host systemd[1]: Switched to clocksource tsc")]
    public void Lines_of_other_programs_are_not_kernel_lines(string line)
    {
        Assert.Null(KernelLogLine.Parse(line, Clock(DateTime.UtcNow)));
    }

    [Fact]
    public void Clock_facts_give_the_boot_time_from_uptime_and_fall_back_to_btime()
    {
        var precise = KvmTime.Linux.KernelLog.ClocksourceEventReader.ParseClock("1700000100.250000000\n100.25 180.00\nbtime 1700000000\n+0130\n", null, null);
        var busybox = KvmTime.Linux.KernelLog.ClocksourceEventReader.ParseClock("1700000100.%N\n100.25 180.00\nbtime 1700000000\n-0500\n", null, null);

        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1700000000), precise.BootTimeUtc);
        Assert.Equal(TimeSpan.FromMinutes(90), precise.TimeZone.BaseUtcOffset);
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1700000000), busybox.BootTimeUtc);
        Assert.Equal(TimeSpan.FromHours(-5), busybox.TimeZone.BaseUtcOffset);
    }
}
