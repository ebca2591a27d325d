using KvmTime.Targets;
using KvmTime.Windows;
using Xunit;

namespace KvmTime.Tests.Windows;

/// <summary>The Windows timer facts from recorded snippet outputs (Samples/windows, written from the documented formats).</summary>
public class WindowsClockParserTests
{
    private static WindowsClockFacts Facts(string sample) => WindowsClockParser.Parse(SampleFiles.Read("windows/" + sample), "win1");

    [Fact]
    public void Kvm_guest_with_hypervclock_documented_format()
    {
        var (info, windows) = WindowsClockParser.Clocksource(Facts("clock-win2022-kvm-hypervclock.documented_format.json"), "win1");

        Assert.Equal("Windows", info.Os);
        Assert.Equal("tsc", info.Current);
        Assert.Equal(["tsc", "hyperv_reference_tsc"], info.Available);
        Assert.True(info.IsVdsoCapable);
        Assert.Empty(info.KernelArguments);
        Assert.True(windows.BcdRead);
        Assert.Null(windows.UsePlatformClock);
        Assert.Equal("Microsoft Hv", windows.HypervisorVendor);
        Assert.True(windows.HyperVClockVisible);
        Assert.Equal(["runtime", "time-ref-count", "synic", "stimer", "vapic", "vpindex", "reference-tsc", "frequencies"], windows.HyperVEnlightenments);
        Assert.StartsWith("10 MHz: the Hyper-V reference TSC page", windows.QpcSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Forced_platform_clock_on_qemu_hpet_documented_format()
    {
        var (info, windows) = WindowsClockParser.Clocksource(Facts("clock-win2019-useplatformclock-qemu-hpet.documented_format.json"), "win1");

        Assert.Equal("hpet", info.Current);
        Assert.False(info.IsVdsoCapable);
        Assert.Equal(["useplatformclock=Yes", "disabledynamictick=No", "tscsyncpolicy=Enhanced"], info.KernelArguments);
        Assert.True(windows.UsePlatformClock);
        Assert.Null(windows.UsePlatformTick);
        Assert.Equal("KVMKVMKVM", windows.HypervisorVendor);
        Assert.Empty(windows.HyperVEnlightenments);
        Assert.False(windows.HyperVClockVisible);
    }

    [Fact]
    public void Windows_PowerShell_without_cpuid_reports_the_acpi_pm_timer_and_unknown_enlightenments_documented_format()
    {
        var facts = Facts("clock-win2016-ps51-acpipm.documented_format.json");
        var (info, windows) = WindowsClockParser.Clocksource(facts, "win1");

        Assert.Equal("acpi_pm", info.Current);
        Assert.Null(windows.HyperVClockVisible);
        Assert.Null(windows.HypervisorVendor);
        Assert.Contains("PowerShell 7", windows.CpuIdError, StringComparison.Ordinal);
        Assert.Null(WindowsClockParser.InvariantTsc(facts));
    }

    [Fact]
    public void An_unelevated_session_leaves_bcd_unknown_and_says_why_documented_format()
    {
        var (info, windows) = WindowsClockParser.Clocksource(Facts("clock-win11-not-elevated.documented_format.json"), "win1");

        Assert.False(windows.BcdRead);
        Assert.StartsWith("Access denied", windows.BcdError, StringComparison.Ordinal);
        Assert.Null(windows.UsePlatformClock);
        Assert.Empty(info.KernelArguments);
    }

    [Theory]
    [InlineData(10_000_000L, "tsc")]
    [InlineData(3_579_545L, "acpi_pm")]
    [InlineData(100_000_000L, "hpet")]
    [InlineData(14_318_180L, "hpet")]
    [InlineData(2_337_919L, "unknown")]
    public void Qpc_frequencies_name_their_timer(long frequency, string name) => Assert.Equal(name, QpcSources.ShortName(frequency));

    [Fact]
    public void Garbage_is_WindowsClockUnreadable() =>
        Assert.Equal("WindowsClockUnreadable", Assert.Throws<KvmTimeException>(() => WindowsClockParser.Parse("Zugriff verweigert", "win1")).ErrorId);
}
