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
        ["boot-default-grub"] = SampleFiles.ReadVerbatim("boot/documented_format/debian12-default-grub"),
        ["boot-tools"] = "update-grub\n",
    });

    private static async Task<CStateLimitPlan> Plan(RecordedTarget target, int? max, bool runtime = true) =>
        (CStateLimitPlan)(await new CStateLimitOperation(new CStateLimitRequest { MaxCState = max, Runtime = runtime }, DateTime.UnixEpoch)
            .PrepareAsync(target, CancellationToken.None)).Single().Plan!;

    [Fact]
    public async Task An_intel_host_gets_both_arguments_and_the_deeper_states_disabled()
    {
        var change = await Plan(Host("intel-xeon-host.txt", "intel_idle"), 1);

        Assert.Contains("GRUB_CMDLINE_LINUX=\"processor.max_cstate=1 intel_idle.max_cstate=1\"", change.Changes.Files.Single().NewContent, StringComparison.Ordinal);
        Assert.Equal(["update-grub"], change.Changes.Commands);
        Assert.Equal([new Changes.SysfsWrite("/sys/devices/system/cpu/cpu0/cpuidle/state2/disable", "1")], change.Changes.SysfsWrites);
        Assert.Equal("intel_idle", CStateLimitPlanner.Unchanged(change, applied: false).IdleDriver);
    }

    [Fact]
    public async Task An_amd_host_gets_only_processor_max_cstate()
    {
        var change = await Plan(Host("amd-epyc-host.txt", "acpi_idle"), 2, runtime: false);

        Assert.Contains("GRUB_CMDLINE_LINUX=\"processor.max_cstate=2\"", change.Changes.Files.Single().NewContent, StringComparison.Ordinal);
        Assert.Empty(change.Changes.SysfsWrites);
    }

    [Fact]
    public async Task An_invariant_tsc_draws_a_warning_and_a_guest_without_one_does_not()
    {
        Assert.Contains("invariant TSC", Assert.Single((await Plan(Host("intel-xeon-host.txt", "intel_idle"), 1)).Warnings), StringComparison.Ordinal);
        Assert.Empty((await Plan(Host("qemu64-guest-no-invtsc.txt", "haltpoll"), 1)).Warnings);
    }

    [Fact]
    public async Task Without_a_boot_loader_runtime_changes_only_the_running_kernel_and_persistent_ones_fail()
    {
        var files = new Dictionary<string, string>
        {
            ["current"] = "kvm-clock\n",
            ["available"] = "kvm-clock tsc acpi_pm \n",
            ["cmdline"] = "console=ttyS0 root=/dev/vda\n",
            ["boot-cmdline"] = "console=ttyS0 root=/dev/vda\n",
            ["cpuinfo"] = SampleFiles.Read("cpuinfo/qemu64-guest-no-invtsc.txt"),
            ["kernellog"] = string.Empty,
            ["idle-driver"] = "acpi_idle\n",
            ["idle-states"] = "/sys/devices/system/cpu/cpu0/cpuidle/state0 0 POLL\n/sys/devices/system/cpu/cpu0/cpuidle/state1 0 C1\n/sys/devices/system/cpu/cpu0/cpuidle/state2 0 C3\n",
        };

        var runtime = await Plan(new RecordedTarget(files), 1);
        Assert.Null(runtime.Boot);
        Assert.Empty(runtime.Changes.Files);
        Assert.Equal([new Changes.SysfsWrite("/sys/devices/system/cpu/cpu0/cpuidle/state2/disable", "1")], runtime.Changes.SysfsWrites);
        Assert.Contains("no boot loader", Assert.Single(runtime.Warnings), StringComparison.Ordinal);
        Assert.Null(CStateLimitPlanner.Unchanged(runtime, applied: false).Persistent);

        var persistent = await Assert.ThrowsAsync<KvmTimeException>(() => Plan(new RecordedTarget(files), 1, runtime: false));
        Assert.Equal("BootLoaderNotFound", persistent.ErrorId);
        Assert.Contains("-Runtime", persistent.Message, StringComparison.Ordinal);
    }
}
