using KvmTime.Linux.CpuFrequency;
using KvmTime.Model;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.CpuFrequency;

/// <summary>The boot-time plans that cannot run under a temporary root (update-rc.d knows none), and the line editor's limits.</summary>
public class GovernorPersistencePlanTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 21, 0, 0, DateTimeKind.Utc);

    private static GovernorConfigFacts Debian(string? defaultFile, bool enabled, bool ondemand = false) => new()
    {
        Distribution = "debian",
        PrettyName = "Debian GNU/Linux 12 (bookworm)",
        CpufrequtilsDefault = defaultFile,
        HasCpupowerUnit = false,
        HasCpufrequtils = true,
        CpufrequtilsEnabled = enabled,
        HasOndemandScript = ondemand,
        HasSystemctl = true,
    };

    private static GovernorPersistencePlan Plan(GovernorConfigFacts facts) =>
        GovernorPersistencePlanner.Plan(new GovernorRequest { Governor = "performance", Persistent = true }, facts, Now, "h");

    [Fact]
    public void Cpufrequtils_default_file_gets_enable_and_governor_documented_format()
    {
        var old = SampleFiles.ReadVerbatim("cpufreq/documented-format-default-cpufrequtils");

        var plan = Plan(Debian(old, enabled: false));

        Assert.Equal(GovernorPersistenceMethod.Cpufrequtils, plan.Method);
        Assert.Equal(old.Replace("ENABLE=\"false\"", "ENABLE=\"true\"", StringComparison.Ordinal).Replace("GOVERNOR=\"ondemand\"", "GOVERNOR=\"performance\"", StringComparison.Ordinal), plan.File!.NewContent);
        Assert.Equal("/etc/default/cpufrequtils.kvmtime-20261205T210000000Z", plan.File.BackupPath);
        Assert.Equal(new Dictionary<string, string> { ["ENABLE"] = "true", ["GOVERNOR"] = "performance" }, plan.File.ShellCheck!.Expected);
        Assert.Equal("update-rc.d cpufrequtils defaults >/dev/null && update-rc.d cpufrequtils enable", plan.EnableCommand);
    }

    [Fact]
    public void A_missing_default_file_is_created_without_backup_and_an_enabled_script_is_left_alone()
    {
        var plan = Plan(Debian(null, enabled: true));

        Assert.Null(plan.File!.OldContent);
        Assert.Null(plan.File.BackupPath);
        Assert.Equal("ENABLE=\"true\"\nGOVERNOR=\"performance\"\n", plan.File.NewContent);
        Assert.Null(plan.EnableCommand);
    }

    [Fact]
    public void An_already_configured_machine_gets_no_plan_at_all()
    {
        var plan = Plan(Debian("ENABLE=\"true\"\nGOVERNOR=\"performance\"\n", enabled: true));

        Assert.Null(plan.File);
        Assert.Null(plan.EnableCommand);
    }

    [Theory]
    [InlineData("GOVERNOR=$DEFAULT_GOVERNOR\n")]
    [InlineData("GOVERNOR=\"perf\\\normance\"\n")]
    [InlineData("GOVERNOR=`cat /etc/gov`\n")]
    public void An_assignment_it_cannot_read_exactly_is_refused(string file)
    {
        var error = Assert.Throws<KvmTimeException>(() => Plan(Debian(file, enabled: true)));

        Assert.Equal("GovernorConfigNotEditable", error.ErrorId);
    }

    [Theory]
    [InlineData(null, "frequency-set -g performance")]
    [InlineData("frequency-set --governor ondemand --min 2250000", "frequency-set --governor performance --min 2250000")]
    [InlineData("frequency-set -u 3GHz", "frequency-set -g performance -u 3GHz")]
    public void Start_options_keep_everything_but_the_governor(string? current, string expected) =>
        Assert.Equal(expected, GovernorPersistencePlanner.StartOptions(current, "performance", "h"));
}
