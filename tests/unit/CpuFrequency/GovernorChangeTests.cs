using KvmTime.Linux.CpuFrequency;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.CpuFrequency;

/// <summary>
/// Set-CpuFrequencyPolicy's operation, end to end through the real gather and apply script on this
/// machine's /bin/sh, against sysfs trees recorded on real machines (Samples/cpufreq, tests named
/// _recorded_sysfs) laid out under a temporary root; this build machine has no cpufreq of its own.
/// The /proc/cpuinfo under that root is hand-written (only its flags matter).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GovernorChangeTests : IDisposable
{
    private const string NoConstantTsc = "processor\t: 0\nflags\t\t: fpu tsc msr\n\n";
    private const string InvariantTsc = "processor\t: 0\nflags\t\t: fpu tsc msr constant_tsc nonstop_tsc\n\n";
    private static readonly DateTime Now = new(2026, 12, 5, 21, 0, 0, DateTimeKind.Utc);

    private readonly string root = Directory.CreateTempSubdirectory("kvmtime-governor-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Under(string path) => root + path;

    private void Tree(string sample, string cpuinfo = NoConstantTsc)
    {
        TtarTree.Materialize(SampleFiles.Read("cpufreq/" + sample), root);
        Directory.CreateDirectory(Under("/proc"));
        File.WriteAllText(Under("/proc/cpuinfo"), cpuinfo);
    }

    private string[] Governors() => Directory.GetDirectories(Under("/sys/devices/system/cpu"), "cpu*")
        .Where(d => File.Exists(d + "/cpufreq/scaling_governor"))
        .Order(StringComparer.Ordinal)
        .Select(d => File.ReadAllText(d + "/cpufreq/scaling_governor").Trim())
        .ToArray();

    private GovernorOperation Operation(string governor, bool persistent = false) =>
        new(new GovernorRequest { Governor = governor, Persistent = persistent, Root = root }, Now, Under("/var/lib/kvmtime"));

    private static async Task<(GovernorPlan Plan, CpuFrequencyChangeResult Result)> Run(GovernorOperation operation)
    {
        var plan = (GovernorPlan)(await operation.PrepareAsync(LocalTarget.Instance, CancellationToken.None)).Single().Plan!;
        return (plan, (CpuFrequencyChangeResult)await operation.ApplyAsync(LocalTarget.Instance, plan, CancellationToken.None));
    }

    [Fact]
    public async Task Sets_performance_on_every_cpu_and_reads_it_back_recorded_sysfs()
    {
        Tree("node-exporter-intel-pstate.ttar");
        Assert.Equal(["powersave", "powersave", "powersave", "powersave"], Governors());

        var (plan, result) = await Run(Operation("performance"));

        Assert.Equal(4, plan.Changes.SysfsWrites.Count);
        Assert.Contains($"# write: performance > {root}/sys/devices/system/cpu/cpu3/cpufreq/scaling_governor", plan.Describe(), StringComparison.Ordinal);
        Assert.Equal(["performance", "performance", "performance", "performance"], Governors());
        Assert.True(result.Applied);
        Assert.True(result.Changed);
        Assert.Equal(["powersave"], result.PreviousGovernors);
        Assert.Equal(["performance"], result.Governors);
        Assert.Equal([0, 1, 2, 3], result.CpusChanged);
        Assert.Null(result.PersistenceMethod);
        Assert.Empty(plan.Warnings); // no constant_tsc: the change matters for timekeeping
    }

    [Fact]
    public async Task A_second_run_changes_nothing_recorded_sysfs()
    {
        Tree("node-exporter-intel-pstate.ttar");
        await Run(Operation("performance"));

        var (plan, result) = await Run(Operation("performance"));

        Assert.False(plan.IsChange);
        Assert.False(result.Changed);
        Assert.True(result.Applied);
    }

    [Fact]
    public async Task Writes_through_the_cpu_policy_symlink_recorded_sysfs()
    {
        // cpu0's cpufreq is a link to ../cpufreq/policy0, cpu1 a directory of its own, cpu2 has none.
        Tree("procfs-intel-pstate-policy-symlink.ttar", InvariantTsc);

        var (plan, result) = await Run(Operation("performance"));

        Assert.Equal("performance", File.ReadAllText(Under("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor")).Trim());
        Assert.Equal("performance", File.ReadAllText(Under("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor")).Trim());
        Assert.Equal([0, 1], result.CpusChanged);
        Assert.True(result.InvariantTsc);
        Assert.Contains(plan.Warnings, w => w.Contains("not needed for timekeeping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_governor_is_refused_and_nothing_changes_recorded_sysfs()
    {
        Tree("node-exporter-intel-pstate.ttar");

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => Operation("ondemand").PrepareAsync(LocalTarget.Instance, CancellationToken.None));

        Assert.Equal("GovernorNotAvailable", error.ErrorId);
        Assert.Contains("Available: performance, powersave", error.Message, StringComparison.Ordinal);
        Assert.Equal(["powersave", "powersave", "powersave", "powersave"], Governors());
    }

    [Fact]
    public async Task A_machine_without_cpufreq_is_refused_documented_format()
    {
        Directory.CreateDirectory(Under("/sys/devices/system/cpu/cpu0"));
        Directory.CreateDirectory(Under("/proc"));
        File.WriteAllText(Under("/proc/cpuinfo"), InvariantTsc);

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => Operation("performance").PrepareAsync(LocalTarget.Instance, CancellationToken.None));

        Assert.Equal("CpufreqNotAvailable", error.ErrorId);
    }

    [Fact]
    public async Task This_build_machine_has_no_cpufreq_and_is_refused()
    {
        var operation = new GovernorOperation(new GovernorRequest { Governor = "performance" }, Now, Under("/var/lib/kvmtime"));

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => operation.PrepareAsync(LocalTarget.Instance, CancellationToken.None));

        Assert.Equal("CpufreqNotAvailable", error.ErrorId);
    }
}
