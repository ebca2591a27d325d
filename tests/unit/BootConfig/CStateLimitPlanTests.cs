using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.BootConfig;

/// <summary>Set-KernelCStateLimit's planning on recorded inputs: a Debian host with update-grub and the given CPU.</summary>
public class CStateLimitPlanTests
{
    private sealed class RecordedTarget(Dictionary<string, string> files) : ITarget
    {
        public string ComputerName => "host7";

        public TargetOs Os => TargetOs.Linux;

        public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new GatherResult(request.Items.Select(i =>
                files.TryGetValue(i.Key, out var text) ? new GatherValue(i.Key, text, 0) : new GatherValue(i.Key, string.Empty, 1))));

        public Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("planning must not run anything");
    }

    private static RecordedTarget Host(string cpuinfoSample, string driver) => new(new Dictionary<string, string>
    {
        ["current"] = "tsc\n",
        ["available"] = "tsc hpet acpi_pm \n",
        ["cmdline"] = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet\n",
        ["boot-cmdline"] = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet\n",
        ["cpuinfo"] = SampleFiles.Read("cpuinfo/" + cpuinfoSample),
        ["kernellog"] = string.Empty,
        ["idle-driver"] = driver + "\n",
        ["idle-states"] = "/sys/devices/system/cpu/cpu0/cpuidle/state0 0 POLL\n/sys/devices/system/cpu/cpu0/cpuidle/state1 0 C1\n/sys/devices/system/cpu/cpu0/cpuidle/state2 0 C6\n",
        ["boot-default-grub"] = SampleFiles.Read("boot/debian12-default-grub"),
        ["boot-tools"] = "update-grub\n",
    });

    private static Task<CStateLimitChange> Plan(RecordedTarget target, int? max, bool runtime = true) =>
        CStateLimitChange.PrepareAsync(target, new CStateLimitRequest { MaxCState = max, Runtime = runtime }, DateTime.UnixEpoch, CancellationToken.None);

    [Fact]
    public async Task An_intel_host_gets_both_arguments_and_the_deeper_states_disabled()
    {
        var change = await Plan(Host("intel-xeon-host.txt", "intel_idle"), 1);

        Assert.Contains("GRUB_CMDLINE_LINUX=\"processor.max_cstate=1 intel_idle.max_cstate=1\"", change.Plan.Files.Single().NewContent, StringComparison.Ordinal);
        Assert.Equal(["update-grub"], change.Plan.Commands);
        Assert.Equal([new Changes.SysfsWrite("/sys/devices/system/cpu/cpu0/cpuidle/state2/disable", "1")], change.Plan.SysfsWrites);
        Assert.Equal("intel_idle", change.NotApplied().IdleDriver);
    }

    [Fact]
    public async Task An_amd_host_gets_only_processor_max_cstate()
    {
        var change = await Plan(Host("amd-epyc-host.txt", "acpi_idle"), 2, runtime: false);

        Assert.Contains("GRUB_CMDLINE_LINUX=\"processor.max_cstate=2\"", change.Plan.Files.Single().NewContent, StringComparison.Ordinal);
        Assert.Empty(change.Plan.SysfsWrites);
    }

    [Fact]
    public async Task An_invariant_tsc_draws_a_warning_and_a_guest_without_one_does_not()
    {
        Assert.Contains("invariant TSC", (await Plan(Host("intel-xeon-host.txt", "intel_idle"), 1)).Warning, StringComparison.Ordinal);
        Assert.Null((await Plan(Host("qemu64-guest-no-invtsc.txt", "haltpoll"), 1)).Warning);
    }
}
