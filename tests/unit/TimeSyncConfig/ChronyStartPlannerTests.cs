using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.TimeSyncConfig.TimeSyncFactsBuilder;

namespace KvmTime.Tests.TimeSyncConfig;

/// <summary>Set-GuestTimeSync on a guest whose chronyd is installed but stopped: the plan starts it (enabled at boot where the manager can).</summary>
public sealed class ChronyStartPlannerTests
{
    private static readonly TimeSyncConfigRequest Vm = new() { Preset = GuestTimeSyncPreset.Vm };

    /// <summary>Debian 12's stock chrony.conf after a first -Preset Vm, as a second read shows it.</summary>
    private static TimeSyncConfigFacts ConfiguredForVm(string[] running)
    {
        var stock = Chrony(DebianStock);
        var configured = After(stock, ChronyConfigPlanner.Plan(stock, Vm, Now));
        return Chrony(configured.ChronyConf!.Content!, dropIns: configured.DropInFiles, running: running);
    }

    [Fact]
    public void A_stopped_chronyd_with_nothing_to_write_is_started_and_enabled_and_shown_as_a_run_line()
    {
        var plan = ChronyConfigPlanner.Plan(ConfiguredForVm([]), Vm, Now);

        Assert.True(plan.IsChange);
        Assert.Empty(plan.Changes.Files);
        Assert.Equal(["systemctl enable --now chrony.service"], plan.Changes.Commands);
        Assert.Contains("# run: systemctl enable --now chrony.service\n", plan.Describe(), StringComparison.Ordinal);
        // Nothing to put back when no source is selected: chronyd is left running and the error says so.
        Assert.True(plan.Rollback.IsEmpty);
        Assert.Contains("otherwise report it and leave chronyd running", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_chronyd_with_nothing_to_write_gives_no_command()
    {
        var plan = ChronyConfigPlanner.Plan(ConfiguredForVm(["chronyd"]), Vm, Now);

        Assert.False(plan.IsChange);
        Assert.Empty(plan.Changes.Commands);
    }

    [Fact]
    public void A_stopped_chronyd_with_new_files_is_started_instead_of_restarted_and_a_rollback_restarts_it_with_the_old_files()
    {
        var plan = ChronyConfigPlanner.Plan(Chrony(DebianStock, running: []), Vm, Now);

        Assert.Contains(plan.Changes.Files, f => f.Path == "/etc/chrony/conf.d/kvmtime.conf");
        Assert.Equal(["systemctl enable --now chrony.service"], plan.Changes.Commands);
        Assert.Equal(["systemctl restart chrony.service"], plan.Rollback.Commands);
        Assert.Contains("otherwise put the previous files back and restart chronyd", plan.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sources_only_change_starts_a_stopped_chronyd_rather_than_reloading_its_sources()
    {
        var stock = Chrony(DebianStock);
        var withServer = After(stock, ChronyConfigPlanner.Plan(stock, new TimeSyncConfigRequest { Servers = ["192.0.2.10"] }, Now));
        var stopped = Chrony(withServer.ChronyConf!.Content!, dropIns: withServer.DropInFiles, running: []);

        var plan = ChronyConfigPlanner.Plan(stopped, new TimeSyncConfigRequest { Servers = ["192.0.2.11"] }, Now.AddMinutes(1));

        Assert.Equal(["/etc/chrony/sources.d/kvmtime.sources"], plan.Changes.Files.Select(f => f.Path));
        Assert.Equal(["systemctl enable --now chrony.service"], plan.Changes.Commands);
    }

    [Theory]
    [InlineData(nameof(ServiceManager.InitScript), "chrony", "/etc/init.d/chrony start")]
    [InlineData(nameof(ServiceManager.OpenRc), "chronyd", "rc-update add chronyd default && rc-service chronyd start")]
    [InlineData(nameof(ServiceManager.Service), "chronyd", "service chronyd start")]
    [InlineData(nameof(ServiceManager.Systemd), "chronyd", "systemctl enable --now chronyd.service")]
    public void Each_service_manager_starts_chronyd_its_own_way(string manager, string name, string command)
    {
        var facts = ConfiguredForVm([]);
        var plan = ChronyConfigPlanner.Plan(WithService(facts, Enum.Parse<ServiceManager>(manager), name), Vm, Now);

        Assert.Equal([command], plan.Changes.Commands);
    }

    [Fact]
    public void A_stopped_chronyd_without_a_known_service_manager_is_refused_with_nothing_planned()
    {
        var facts = WithService(ConfiguredForVm([]), ServiceManager.Unknown, null);

        var e = Assert.Throws<KvmTimeException>(() => ChronyConfigPlanner.Plan(facts, Vm, Now));
        Assert.Equal(ErrorIds.TimeServiceUnknown, e.ErrorId);
        Assert.Contains("no way to start or restart chronyd", e.Message, StringComparison.Ordinal);
    }

    private static TimeSyncConfigFacts WithService(TimeSyncConfigFacts facts, ServiceManager manager, string? name) => new()
    {
        ComputerName = facts.ComputerName,
        RunningDaemons = facts.RunningDaemons,
        ChronyConf = facts.ChronyConf,
        DropInFiles = facts.DropInFiles,
        ServiceManager = manager,
        ChronyService = name,
    };

    [Fact]
    public void The_reader_splits_the_service_line_into_manager_and_name()
    {
        Assert.Equal((ServiceManager.OpenRc, "chronyd"), TimeSyncConfigReader.ServiceOf("openrc chronyd\n"));
        Assert.Equal((ServiceManager.Unknown, (string?)null), TimeSyncConfigReader.ServiceOf(string.Empty));
    }
}
