using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.ClockRead;

/// <summary>Measure-ClocksourceCost -All's plan: which clocksources in which order, the writes -WhatIf shows, and the root check.</summary>
public class ClocksourceSweepPlanTests
{
    // As the lab's TCG guest reports them (tests/lab/README.md): tsc current, then hpet and acpi_pm.
    private static ClocksourceInfo Clock(string current, params string[] available) => new()
    {
        ComputerName = "g", Os = "Linux", Current = current, Available = available, IsVdsoCapable = true, KernelArguments = [],
    };

    [Fact]
    public void Measures_the_current_clocksource_first_and_switches_back_last()
    {
        var plan = ClocksourceSweepPlan.Plan(Clock("tsc", "tsc", "hpet", "acpi_pm"), "0\n", "g");

        Assert.Equal(["tsc", "hpet", "acpi_pm"], plan.Order);
        Assert.Equal(
            "# write: hpet > /sys/devices/system/clocksource/clocksource0/current_clocksource\n" +
            "# write: acpi_pm > /sys/devices/system/clocksource/clocksource0/current_clocksource\n" +
            "# write: tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource\n",
            plan.Describe());
        Assert.Equal("Measure clock reads with each clocksource (tsc, hpet, acpi_pm), then switch back to tsc", plan.Action);
    }

    [Fact]
    public void A_single_clocksource_switches_nothing()
    {
        var plan = ClocksourceSweepPlan.Plan(Clock("kvm-clock", "kvm-clock"), "0", "g");

        Assert.Equal(["kvm-clock"], plan.Order);
        Assert.Equal(string.Empty, plan.Describe());
    }

    [Theory]
    [InlineData("1000\n")]
    [InlineData(null)]
    public void Another_account_than_root_is_refused(string? uid)
    {
        var error = Assert.Throws<KvmTimeException>(() => ClocksourceSweepPlan.Plan(Clock("tsc", "tsc", "kvm-clock"), uid, "g"));

        Assert.Equal("ClocksourceSweepNeedsRoot", error.ErrorId);
        Assert.Equal(FailureKind.PermissionDenied, error.Kind);
    }
}
