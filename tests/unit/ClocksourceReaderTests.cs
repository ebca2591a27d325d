using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class ClocksourceReaderTests
{
    private static GatherResult Gathered(string? current, string available, string cmdline) => new(
    [
        new GatherValue("current", current ?? string.Empty, current is null ? 1 : 0),
        new GatherValue("available", available, 0),
        new GatherValue("cmdline", cmdline, 0),
    ]);

    [Fact]
    public void Build_machine_sysfs_reads_tsc_with_kvm_clock_available()
    {
        var info = ClocksourceReader.Parse(
            Gathered("tsc\n", SampleFiles.Read("sysfs/build-machine-available.txt"), SampleFiles.Read("sysfs/build-machine-cmdline.txt")), "build");

        Assert.Equal("tsc", info.Current);
        Assert.Equal(["tsc", "kvm-clock"], info.Available);
        Assert.True(info.IsVdsoCapable);
        Assert.Empty(info.KernelArguments);
    }

    [Theory]
    [InlineData("tsc", "", true)]
    [InlineData("kvm-clock", "", true)]
    [InlineData("kvm-clock", "no-kvmclock-vsyscall", false)]
    [InlineData("hpet", "", false)]
    [InlineData("acpi_pm", "", false)]
    public void Vdso_capability_follows_the_source(string current, string cmdline, bool vdso)
    {
        var info = ClocksourceReader.Parse(Gathered(current, "tsc kvm-clock hpet acpi_pm ", cmdline), "g");

        Assert.Equal(vdso, info.IsVdsoCapable);
    }

    [Fact]
    public void Pinning_arguments_are_reported()
    {
        var info = ClocksourceReader.Parse(Gathered("hpet", "tsc hpet acpi_pm", "ro clocksource=hpet tsc=unstable quiet"), "g");

        Assert.Equal(["clocksource=hpet", "tsc=unstable"], info.KernelArguments);
    }

    [Fact]
    public void Missing_sysfs_is_a_specific_error()
    {
        var error = Assert.Throws<KvmTimeException>(() => ClocksourceReader.Parse(Gathered(null, string.Empty, string.Empty), "win-node"));

        Assert.Equal("ClocksourceSysfsMissing", error.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, error.Kind);
        Assert.Equal("win-node", error.ComputerName);
    }
}
