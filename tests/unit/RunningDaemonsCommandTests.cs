using System.Diagnostics;
using KvmTime.Linux;
using Xunit;

namespace KvmTime.Tests;

/// <summary>
/// The time-daemon scan run by real shells against this machine's real /proc, with stand-in daemons:
/// copies of sleep named ntpd and systemd-timesyncd (whose kernel name is cut to 15 characters).
/// pidof, which the scan replaced, is the oracle for chronyd, which may or may not run here.
/// </summary>
public class RunningDaemonsCommandTests
{
    [Theory]
    [InlineData("/bin/dash")]
    [InlineData("/bin/bash")]
    [InlineData("/usr/bin/busybox")]
    public async Task Names_each_running_daemon_once_in_the_preferred_order(string shell)
    {
        Assert.True(File.Exists(shell), $"{shell} is not installed: apt-get install dash bash busybox");
        var dir = Directory.CreateTempSubdirectory("kvmtime-daemons-");
        var standIns = new List<Process>();
        try
        {
            foreach (var name in new[] { "systemd-timesyncd", "ntpd" })
            {
                File.Copy("/bin/sleep", Path.Combine(dir.FullName, name));
            }

            // Two ntpd: named once.
            foreach (var name in new[] { "systemd-timesyncd", "ntpd", "ntpd" })
            {
                standIns.Add(Process.Start(Path.Combine(dir.FullName, name), "300"));
            }

            await Task.Delay(200); // each has exec'd by now
            var chronydRuns = (await TestShell.RunAsync("/bin/sh", "pidof chronyd")).Code == 0;

            var (code, text) = await TestShell.RunAsync(shell, GuestTimeSyncReader.RunningDaemonsCommand);

            Assert.Equal(0, code);
            Assert.Equal((chronydRuns ? "chronyd\n" : string.Empty) + "ntpd\nsystemd-timesyncd\n", text);
        }
        finally
        {
            foreach (var process in standIns)
            {
                process.Kill();
                await process.WaitForExitAsync();
                process.Dispose();
            }

            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("/bin/dash")]
    [InlineData("/usr/bin/busybox")]
    public async Task A_daemon_that_exited_but_is_not_reaped_does_not_count(string shell)
    {
        var dir = Directory.CreateTempSubdirectory("kvmtime-zombie-");
        try
        {
            File.Copy("/bin/sleep", Path.Combine(dir.FullName, "ntpd"));
            // The child ntpd exits at once; its parent becomes sleep, which never reaps it.
            using var parent = Process.Start("/bin/sh", ["-c", $"'{dir.FullName}/ntpd' 0 & exec sleep 300"]);
            try
            {
                var zombie = false;
                for (var i = 0; i < 50 && !zombie; i++)
                {
                    await Task.Delay(100);
                    zombie = Directory.GetDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0]))
                        .Any(d => File.Exists(d + "/stat") && TryRead(d + "/stat") is { } stat && stat.Contains(" (ntpd) Z ", StringComparison.Ordinal));
                }

                Assert.True(zombie, "no zombie named ntpd appeared");
                Assert.DoesNotContain("ntpd", (await TestShell.RunAsync(shell, GuestTimeSyncReader.RunningDaemonsCommand)).Text);
            }
            finally
            {
                parent.Kill(entireProcessTree: true);
                await parent.WaitForExitAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process went away between the listing and the read
        }
    }

    [Fact]
    public async Task Prints_nothing_and_succeeds_when_no_daemon_of_that_name_runs()
    {
        // A private PID namespace has only the shell itself: unshare needs root, as the suite runs.
        var (code, text) = await TestShell.RunProgramAsync("/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "/bin/dash", "-c", GuestTimeSyncReader.RunningDaemonsCommand);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, text);
    }
}
