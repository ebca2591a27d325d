using KvmTime.Linux;
using Xunit;

namespace KvmTime.Tests;

public class KernelCommandLineTests
{
    [Fact]
    public void Splits_names_values_and_quoted_values()
    {
        var args = KernelCommandLine.Parse("BOOT_IMAGE=/vmlinuz root=UUID=ab-cd ro quiet clocksource=kvm-clock dyndbg=\"file a.c +p\" tsc=reliable\n");

        Assert.Equal(["BOOT_IMAGE=/vmlinuz", "root=UUID=ab-cd", "ro", "quiet", "clocksource=kvm-clock", "dyndbg=file a.c +p", "tsc=reliable"],
            args.Select(a => a.ToString()));
    }

    [Fact]
    public void Stops_at_the_init_separator()
    {
        var args = KernelCommandLine.Parse(SampleFiles.Read("sysfs/build-machine-cmdline.txt"));

        Assert.Contains(args, a => a.Name == "rdinit");
        Assert.DoesNotContain(args, a => a.Name.StartsWith("--", StringComparison.Ordinal));
    }

    [Fact]
    public void Timing_arguments_are_picked_and_the_last_clocksource_wins()
    {
        var args = KernelCommandLine.Parse("quiet clocksource=hpet no-kvmclock processor.max_cstate=1 clocksource=acpi_pm splash");

        Assert.Equal(["clocksource=hpet", "no-kvmclock", "processor.max_cstate=1", "clocksource=acpi_pm"],
            KernelCommandLine.TimingOnly(args).Select(a => a.ToString()));
        Assert.Equal("acpi_pm", KernelCommandLine.Last(args, "clocksource")!.Value);
    }
}
