using System.Diagnostics;
using KvmTime.Linux.CpuFrequency;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.CpuFrequency;

/// <summary>
/// Set-CpuFrequencyPolicy -Persistent for real: the apply script on this machine's /bin/sh edits the
/// configuration files (real ones from CentOS 7's kernel-tools and upstream cpupower, Samples/cpufreq)
/// under a temporary root holding a recorded sysfs tree, and this machine's own systemctl enables the
/// unit there (systemctl --root writes the links offline). Debian's cpufrequtils runs here only where
/// its script is already enabled (update-rc.d knows no root); enabling it is tested as a plan.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GovernorPersistenceTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 5, 21, 0, 0, DateTimeKind.Utc);
    private const string Stamp = ".kvmtime-20261205T210000000Z";

    private readonly string root = Directory.CreateTempSubdirectory("kvmtime-governor-boot-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Under(string path) => root + path;

    private void Put(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Under(path))!);
        File.WriteAllText(Under(path), content);
    }

    private void RecordedMachine()
    {
        TtarTree.Materialize(SampleFiles.Read("cpufreq/node-exporter-intel-pstate.ttar"), root);
        Put("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu tsc msr\n\n");
    }

    private void CentOs7()
    {
        RecordedMachine();
        Put("/etc/os-release", "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
        Put("/etc/sysconfig/cpupower", SampleFiles.ReadVerbatim("cpufreq/centos7-sysconfig-cpupower"));
        Put("/usr/lib/systemd/system/cpupower.service", SampleFiles.ReadVerbatim("cpufreq/centos7-cpupower.service"));
    }

    private string IsEnabled()
    {
        var start = new ProcessStartInfo("systemctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--root=" + root, "is-enabled", "cpupower.service" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    private async Task<(GovernorPlan Plan, CpuFrequencyChangeResult Result)> Run(string governor)
    {
        var operation = new GovernorOperation(new GovernorRequest { Governor = governor, Persistent = true, Root = root }, Now, Under("/var/lib/kvmtime"));
        var plan = (GovernorPlan)(await operation.PrepareAsync(LocalTarget.Instance, CancellationToken.None)).Single().Plan!;
        return (plan, (CpuFrequencyChangeResult)await operation.ApplyAsync(LocalTarget.Instance, plan, CancellationToken.None));
    }

    [Fact]
    public async Task Kernel_tools_sysconfig_gets_the_governor_with_a_backup_and_the_unit_is_enabled_recorded()
    {
        CentOs7();
        var original = File.ReadAllText(Under("/etc/sysconfig/cpupower"));
        Assert.Equal("disabled", IsEnabled());

        var (plan, result) = await Run("powersave");

        var edited = File.ReadAllText(Under("/etc/sysconfig/cpupower"));
        Assert.Equal(original.Replace("frequency-set -g performance", "frequency-set -g powersave", StringComparison.Ordinal), edited);
        Assert.Equal(original, File.ReadAllText(Under("/etc/sysconfig/cpupower" + Stamp)));
        Assert.Equal("enabled", IsEnabled());
        Assert.Equal(GovernorPersistenceMethod.CpupowerSysconfig, result.PersistenceMethod);
        Assert.Equal(Under("/etc/sysconfig/cpupower"), result.ConfigPath);
        Assert.Equal(Under("/etc/sysconfig/cpupower" + Stamp), result.BackupPath);
        Assert.True(result.ServiceEnabled);
        Assert.Empty(plan.Changes.SysfsWrites); // the recorded machine already runs powersave
        var shown = plan.Describe();
        Assert.Contains("\n-CPUPOWER_START_OPTS=\"frequency-set -g performance\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("\n+CPUPOWER_START_OPTS=\"frequency-set -g powersave\"\n", shown, StringComparison.Ordinal);
        Assert.Contains(" CPUPOWER_STOP_OPTS=\"frequency-set -g ondemand\"\n", shown, StringComparison.Ordinal);
        Assert.Contains($"# run: systemctl --root='{root}' enable cpupower.service", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_persistent_run_changes_nothing_recorded()
    {
        CentOs7();
        await Run("performance");

        var (plan, result) = await Run("performance");

        Assert.False(plan.IsChange);
        Assert.False(result.Changed);
        Assert.True(result.ServiceEnabled);
        Assert.False(File.Exists(Under("/etc/sysconfig/cpupower" + Stamp))); // it already said performance: never rewritten
    }

    [Fact]
    public async Task Upstream_cpupower_service_conf_gets_a_governor_line_recorded()
    {
        RecordedMachine();
        Put("/etc/os-release", "ID=arch\nPRETTY_NAME=\"Arch Linux\"\n");
        var conf = SampleFiles.ReadVerbatim("cpufreq/upstream-cpupower-service.conf");
        Put("/etc/cpupower-service.conf", conf);
        // As its Makefile installs it: ___CDIR___ and ___LDIR___ replaced.
        Put("/usr/lib/systemd/system/cpupower.service", SampleFiles.ReadVerbatim("cpufreq/upstream-cpupower.service.in")
            .Replace("___CDIR___", "/etc/", StringComparison.Ordinal).Replace("___LDIR___", "/usr/libexec", StringComparison.Ordinal));

        var (_, result) = await Run("performance");

        Assert.Equal(conf + "GOVERNOR=\"performance\"\n", File.ReadAllText(Under("/etc/cpupower-service.conf")));
        Assert.Equal(GovernorPersistenceMethod.CpupowerServiceConfig, result.PersistenceMethod);
        Assert.Equal("enabled", IsEnabled());
        Assert.Equal(["performance"], result.Governors);
    }

    [Fact]
    public async Task Debian_cpufrequtils_default_file_is_edited_on_a_machine_where_the_script_is_enabled_documented_format()
    {
        // Enabled already (a start link in rc2.d), so no update-rc.d runs and the edit can run under the temporary root.
        RecordedMachine();
        Put("/etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        Put("/etc/init.d/cpufrequtils", "#!/bin/sh\n# stand-in: only its presence is read\n");
        Directory.CreateDirectory(Under("/etc/rc2.d"));
        File.CreateSymbolicLink(Under("/etc/rc2.d/S01cpufrequtils"), "../init.d/cpufrequtils");
        var old = SampleFiles.ReadVerbatim("cpufreq/documented-format-default-cpufrequtils");
        Put("/etc/default/cpufrequtils", old);

        var (plan, result) = await Run("performance");

        Assert.Empty(plan.Changes.Commands);
        Assert.Equal(old.Replace("ENABLE=\"false\"", "ENABLE=\"true\"", StringComparison.Ordinal).Replace("GOVERNOR=\"ondemand\"", "GOVERNOR=\"performance\"", StringComparison.Ordinal),
            File.ReadAllText(Under("/etc/default/cpufrequtils")));
        Assert.Equal(old, File.ReadAllText(Under("/etc/default/cpufrequtils" + Stamp)));
        Assert.Equal(GovernorPersistenceMethod.Cpufrequtils, result.PersistenceMethod);
        Assert.Equal("cpufrequtils", result.Service);
        Assert.True(result.ServiceEnabled);
        Assert.Equal(["performance"], result.Governors);
    }

    [Fact]
    public async Task Start_options_that_are_not_frequency_set_are_refused_and_nothing_changes_documented_format()
    {
        CentOs7();
        Put("/etc/sysconfig/cpupower", "CPUPOWER_START_OPTS=\"idle-set -D 2\"\n");

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => Run("performance"));

        Assert.Equal("GovernorConfigNotEditable", error.ErrorId);
        Assert.Equal("disabled", IsEnabled());
        Assert.Equal("CPUPOWER_START_OPTS=\"idle-set -D 2\"\n", File.ReadAllText(Under("/etc/sysconfig/cpupower")));
    }

    [Fact]
    public async Task Debian_without_cpufrequtils_says_what_to_install_documented_format()
    {
        RecordedMachine();
        Put("/etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => Run("performance"));

        Assert.Equal("GovernorPersistenceUnavailable", error.ErrorId);
        Assert.Contains("linux-cpupower ships only the cpupower program", error.Message, StringComparison.Ordinal);
        Assert.Contains("install cpufrequtils", error.Message, StringComparison.Ordinal);
        Assert.Equal("powersave", File.ReadAllText(Under("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).Trim());
    }
}
