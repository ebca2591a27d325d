using KvmTime.Linux;
using Xunit;

namespace KvmTime.Tests;

/// <summary>The cpuidle states command, run by real shells on this machine's sysfs, against the files read by .NET.</summary>
public class CpuIdleStatesCommandTests
{
    [Theory]
    [InlineData("/bin/dash")]
    [InlineData("/bin/bash")]
    [InlineData("/usr/bin/busybox")]
    public async Task Lists_each_state_with_its_disable_flag_and_name_as_the_files_hold_them(string shell)
    {
        var command = CpuIdle.AddTo(new KvmTime.Targets.GatherRequest()).Items.Single(i => i.Key == "idle-states").Text;
        var expected = string.Concat(Directory.GetDirectories("/sys/devices/system/cpu")
            .Where(d => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(d), "^cpu[0-9]+$"))
            .SelectMany(d => Directory.Exists(Path.Combine(d, "cpuidle")) ? Directory.GetDirectories(Path.Combine(d, "cpuidle"), "state*") : [])
            .Order(StringComparer.Ordinal)
            .Select(s => $"{s} {File.ReadAllText(Path.Combine(s, "disable")).TrimEnd('\n')} {File.ReadAllText(Path.Combine(s, "name")).TrimEnd('\n')}\n"));

        var (code, text) = await TestShell.RunAsync(shell, command);

        Assert.Equal(0, code);
        Assert.Equal(expected, text);
    }
}
