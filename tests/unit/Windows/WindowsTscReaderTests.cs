using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

public class WindowsTscReaderTests
{
    private static KvmTime.Model.TscReport Report(string sample) =>
        WindowsTscReader.Report(WindowsClockParser.Parse(SampleFiles.Read("windows/" + sample), "win1"), "win1");

    [Fact]
    public void Invariant_tsc_from_cpuid_0x80000007_documented_format()
    {
        var report = Report("clock-win2022-kvm-hypervclock.documented_format.json");

        Assert.True(report.IsInvariant);
        Assert.True(report.IsGuest);
        Assert.Equal("GenuineIntel", report.CpuVendor);
        Assert.Equal("hypervclock", report.RecommendedClocksource);
        Assert.True(report.IsTrustworthy);
    }

    [Fact]
    public void No_invariant_tsc_points_to_hypervclock_or_the_platform_clock_documented_format()
    {
        var report = Report("clock-win2019-useplatformclock-qemu-hpet.documented_format.json");

        Assert.False(report.IsInvariant);
        Assert.Equal("platform", report.RecommendedClocksource);
        Assert.Contains("Set-KvmDomainClock -Preset Windows", report.Recommendation, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_cpuid_the_answer_is_Unknown_with_the_reason_documented_format()
    {
        var report = Report("clock-win2016-ps51-acpipm.documented_format.json");

        Assert.False(report.IsTrustworthy);
        Assert.Equal("Unknown", report.RecommendedClocksource);
        Assert.StartsWith("Unknown: invariant TSC could not be read (PowerShell 5.1", report.Recommendation, StringComparison.Ordinal);
        Assert.Equal("Unknown", report.CpuVendor);
    }
}
