using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class CpuIdleTests
{
    // The states command's output on a two-CPU intel_idle host (names from drivers/idle/intel_idle.c).
    private const string IntelStates =
        "/sys/devices/system/cpu/cpu0/cpuidle/state0 0 POLL\n/sys/devices/system/cpu/cpu0/cpuidle/state1 0 C1\n" +
        "/sys/devices/system/cpu/cpu0/cpuidle/state2 0 C1E\n/sys/devices/system/cpu/cpu0/cpuidle/state3 1 C6\n" +
        "/sys/devices/system/cpu/cpu1/cpuidle/state0 0 POLL\n/sys/devices/system/cpu/cpu1/cpuidle/state1 0 C1\n" +
        "/sys/devices/system/cpu/cpu1/cpuidle/state2 0 C1E\n/sys/devices/system/cpu/cpu1/cpuidle/state3 0 C6\n" +
        "/sys/devices/system/cpu/cpu1/cpuidle/state4;reboot 0 evil\n";

    private static CpuIdle Parse(string? driver, string states) => CpuIdle.Parse(new GatherResult(
        [new GatherValue("idle-driver", driver ?? string.Empty, driver is null ? 1 : 0), new GatherValue("idle-states", states, 0)]));

    [Fact]
    public void Reads_the_driver_and_every_cpus_states_and_ignores_paths_that_are_not_cpuidle_states()
    {
        var idle = Parse("intel_idle\n", IntelStates);

        Assert.Equal("intel_idle", idle.Driver);
        Assert.Equal(8, idle.States.Count);
        Assert.True(idle.States.Single(s => s.Cpu == 0 && s.Index == 3).Disabled);
        Assert.Equal("C1E", idle.States.Single(s => s.Cpu == 1 && s.Index == 2).Name);
    }

    [Theory]
    [InlineData(0, new[] { "C1E", "C6", "C1E", "C6" })]
    [InlineData(1, new[] { "C1E", "C6", "C1E", "C6" })]
    [InlineData(2, new[] { "C6", "C6" })]
    [InlineData(3, new string[0])]
    public void The_limit_counts_states_like_max_cstate_and_zero_keeps_C1(int max, string[] deeper) =>
        Assert.Equal(deeper, Parse("intel_idle", IntelStates).DeeperThan(max).Select(s => s.Name));

    [Fact]
    public void A_machine_without_cpuidle_reports_none()
    {
        var idle = Parse(null, string.Empty);

        Assert.Equal("none", idle.Driver);
        Assert.Empty(idle.States);
    }
}
