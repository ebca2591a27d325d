using KvmTime.Linux;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>
/// Get-CpuFrequencyPolicy's parser on sysfs trees recorded on real machines (Samples/cpufreq, from
/// public test fixtures, tests named _recorded_sysfs) turned into the "grep ." output the cmdlet
/// gathers; this build machine has no cpufreq at all.
/// </summary>
public class CpuFrequencyReaderTests
{
    private static readonly CpuInfo NoConstantTsc = CpuInfo.Parse("processor\t: 0\nflags\t\t: fpu tsc msr\n\n")!;
    private static readonly CpuInfo ConstantTsc = CpuInfo.Parse("processor\t: 0\nflags\t\t: fpu tsc msr constant_tsc nonstop_tsc\n\n")!;

    [Fact]
    public void Node_exporter_intel_pstate_machine_recorded_sysfs()
    {
        var policy = CpuFrequencyReader.Parse(GrepOutput("node-exporter-intel-pstate.ttar"), NoConstantTsc, "h");

        Assert.True(policy.HasCpufreq);
        Assert.Equal([0, 1, 2, 3], policy.Cpus.Select(c => c.Cpu));
        Assert.Equal(["intel_pstate"], policy.Drivers);
        Assert.Equal(["powersave"], policy.Governors);
        Assert.Equal(["performance", "powersave"], policy.AvailableGovernors);
        // Its cpu2 and cpu3 allow 1 MHz to 4200 MHz, cpu0 and cpu1 800 to 3700: the host spans both.
        Assert.Equal(1, policy.MinMHz);
        Assert.Equal(4200, policy.MaxMHz);
        Assert.Equal(3700, policy.Cpus[1].ScalingMaxMHz);
        Assert.Null(policy.HardwareMaxMHz); // this tree has no cpuinfo_max_freq
        Assert.Equal(1699.981, policy.Cpus[0].CurrentMHz);
        Assert.True(policy.FrequencyCanMoveTsc);
        Assert.Contains("frequency varies with load", policy.Summary, StringComparison.Ordinal);
        Assert.Contains("constant_tsc is missing", policy.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Procfs_tree_with_a_policy_symlink_and_a_cpu_without_cpufreq_recorded_sysfs()
    {
        var policy = CpuFrequencyReader.Parse(GrepOutput("procfs-intel-pstate-policy-symlink.ttar"), ConstantTsc, "h");

        // cpu0 reads through its symlink to policy0, cpu1 has its own directory, cpu2 none.
        Assert.Equal([0, 1], policy.Cpus.Select(c => c.Cpu));
        Assert.Equal(2400, policy.Cpus[0].HardwareMaxMHz);
        Assert.Equal(3300, policy.Cpus[1].HardwareMaxMHz);
        Assert.Equal(800, policy.HardwareMinMHz);
        Assert.Equal(3300, policy.HardwareMaxMHz);
        Assert.Equal(1219.917, policy.Cpus[0].CurrentMHz);
        Assert.Equal(1200.195, policy.Cpus[1].CurrentMHz); // no scaling_cur_freq there: cpuinfo_cur_freq
        Assert.Equal(["powersave"], policy.Governors);
        Assert.False(policy.FrequencyCanMoveTsc);
        Assert.Contains("the governor does not matter for timekeeping", policy.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void No_cpufreq_says_so_documented_format()
    {
        var policy = CpuFrequencyReader.Parse(string.Empty, ConstantTsc, "guest");

        Assert.False(policy.HasCpufreq);
        Assert.Empty(policy.Cpus);
        Assert.Empty(policy.Governors);
        Assert.Null(policy.MaxMHz);
        Assert.StartsWith("No cpufreq", policy.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_guest_without_cpufreq_or_constant_tsc_is_told_to_pin_its_host_documented_format()
    {
        var policy = CpuFrequencyReader.Parse(string.Empty, NoConstantTsc, "tcg-guest");

        Assert.True(policy.FrequencyCanMoveTsc);
        Assert.Contains("on its host, pin the frequency", policy.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_flags_leave_the_tsc_question_open_documented_format()
    {
        var gathered = new GatherResult([new GatherValue("cpufreq", string.Empty, 0), new GatherValue("cpuinfo", string.Empty, 1)]);
        var policy = CpuFrequencyReader.Parse(gathered, "g");

        Assert.Null(policy.ConstantTsc);
        Assert.Null(policy.FrequencyCanMoveTsc);
        Assert.Contains("unknown", policy.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void This_build_machine_has_no_cpufreq()
    {
        var result = new ProcessRunner().Run(CpuFrequencyReader.GrepCommand);

        Assert.Equal(string.Empty, result);
        Assert.False(CpuFrequencyReader.Parse(result, CpuInfo.Parse(File.ReadAllText("/proc/cpuinfo")), "build").HasCpufreq);
    }

    /// <summary>What "grep . /sys/devices/system/cpu/cpu[0-9]*/cpufreq/*" prints for a ttar tree: symlinked cpufreq directories followed, subdirectories skipped.</summary>
    private static string GrepOutput(string sample)
    {
        var (files, links) = TtarTree.Read(SampleFiles.Read("cpufreq/" + sample));
        var lines = new List<string>();
        foreach (var cpuDir in files.Keys.Concat(links.Keys).Select(CpuDirectory).Where(d => d is not null).Distinct().Order(StringComparer.Ordinal))
        {
            var source = links.TryGetValue(cpuDir + "/cpufreq", out var target)
                ? Path.GetFullPath(Path.Combine(cpuDir!, target)).Replace('\\', '/')
                : cpuDir + "/cpufreq";
            foreach (var (path, content) in files.Where(f => Path.GetDirectoryName(f.Key)!.Replace('\\', '/') == source).OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                lines.AddRange(content.Split('\n').Where(l => l.Length > 0).Select(l => $"{cpuDir}/cpufreq/{Path.GetFileName(path)}:{l}"));
            }
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string? CpuDirectory(string path)
    {
        var m = System.Text.RegularExpressions.Regex.Match(path, @"^(/sys/devices/system/cpu/cpu\d+)/");
        return m.Success ? m.Groups[1].Value : null;
    }

    private sealed class ProcessRunner
    {
        public string Run(string script)
        {
            var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
    }
}
