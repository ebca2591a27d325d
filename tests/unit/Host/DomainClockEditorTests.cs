using KvmTime.Host;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Host;

/// <summary>The real read and apply scripts in sh, against a stand-in virsh (the Lab Pester tests run them against libvirt).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DomainClockEditorTests : IDisposable
{
    private static readonly string LabXml = SampleFiles.Read("libvirt/lab-domain-debian12-libvirt9.xml");
    private readonly FakeVirshHost host = new();

    public void Dispose() => host.Dispose();

    private string Backups => Path.Combine(host.Directory, "backup dir");

    private async Task<(DomainDefinition Definition, DomainClockPlan Plan)> PlanAsync(string domain, DomainClockChange change)
    {
        var gathered = await host.GatherAsync(DomainClockScripts.Read("qemu:///system", [domain], forDefine: true), CancellationToken.None);
        var definition = DomainClockReader.Definition(gathered, 0, domain, host.ComputerName);
        return (definition, DomainClockPlanner.Plan(domain, definition.Xml, definition.State, change));
    }

    private async Task<KvmTime.Model.KvmDomainClockChange> ApplyAsync(DomainClockPlan plan, DomainClockChange change, DateTime now)
    {
        var operation = new DomainClockOperation("qemu:///system", [plan.Domain], change, Backups, () => now);
        var before = DomainClockReader.Clock(new DomainDefinition(plan.Domain, plan.State, plan.OldXml), "qemu:///system", host.ComputerName);
        return (KvmTime.Model.KvmDomainClockChange)await operation.ApplyAsync(host, new DomainClockChangePlan(host.ComputerName, "qemu:///system", plan, before), CancellationToken.None);
    }

    [Fact]
    public async Task Prepare_reads_every_domain_in_one_round_trip_and_plans_each()
    {
        host.AddDomain("win-lab-1", LabXml, "running");
        var operation = new DomainClockOperation("qemu:///system", ["win-lab-1", "absent-1"], DomainClockChange.Create("Linux", null, [], []), Backups, () => DateTime.UnixEpoch);

        var prepared = await operation.PrepareAsync(host, CancellationToken.None);

        Assert.Equal(2, prepared.Count);
        Assert.True(prepared[0].Plan!.IsChange);
        Assert.Contains("hpet", prepared[0].Plan!.Describe(), StringComparison.Ordinal);
        Assert.Equal("DomainNotFound", prepared[1].Failure!.ErrorId);
    }

    [Fact]
    public async Task Apply_backs_up_the_old_xml_defines_the_new_one_and_verifies_it()
    {
        host.AddDomain("win-lab-1", LabXml, "running");
        var change = DomainClockChange.Create("Linux", null, [], []);
        var (definition, plan) = await PlanAsync("win-lab-1", change);
        Assert.Equal("running", definition.State);
        Assert.Equal(LabXml, definition.Xml);

        var result = await ApplyAsync(plan, change, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        Assert.True(result.Changed);
        Assert.True(result.RestartRequired);
        Assert.Equal(Path.Combine(Backups, "win-lab-1.20260102T030405.000Z.xml"), result.BackupPath);
        Assert.Equal(LabXml, File.ReadAllText(result.BackupPath!));
        Assert.Equal(plan.NewXml, File.ReadAllText(Path.Combine(Backups, "win-lab-1.20260102T030405.000Z.new.xml")));
        Assert.Equal(plan.NewXml, File.ReadAllText(host.DomainFile("win-lab-1")));
        Assert.Equal("Linux", result.Clock.MatchesPreset);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(result.BackupPath!));

        var (_, again) = await PlanAsync("win-lab-1", change);
        Assert.False(again.IsChange);
    }

    [Fact]
    public async Task A_definition_changed_after_planning_is_not_overwritten()
    {
        host.AddDomain("win-lab-1", LabXml);
        var change = DomainClockChange.Create("Windows", null, [], []);
        var (_, plan) = await PlanAsync("win-lab-1", change);
        var meanwhile = LabXml.Replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>2</vcpu>", StringComparison.Ordinal);
        File.WriteAllText(host.DomainFile("win-lab-1"), meanwhile);

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => ApplyAsync(plan, change, DateTime.UtcNow));

        Assert.Equal("DomainChangedMeanwhile", e.ErrorId);
        Assert.Equal(meanwhile, File.ReadAllText(host.DomainFile("win-lab-1")));
        Assert.Empty(Directory.GetFiles(Backups));
    }

    [Fact]
    public async Task A_definition_libvirt_refuses_leaves_the_domain_as_it_was()
    {
        var xml = LabXml.Replace("<name>win-lab-1</name>", "<name>win-lab-1</name>\n  <description>REJECT</description>", StringComparison.Ordinal);
        host.AddDomain("win-lab-1", xml);
        var change = DomainClockChange.Create("Linux", null, [], []);
        var (_, plan) = await PlanAsync("win-lab-1", change);

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => ApplyAsync(plan, change, DateTime.UtcNow));

        Assert.Equal("DomainDefineFailed", e.ErrorId);
        Assert.Contains("rejected by the fake", e.Message, StringComparison.Ordinal);
        Assert.Equal(xml, File.ReadAllText(host.DomainFile("win-lab-1")));
    }

    [Fact]
    public async Task A_missing_domain_is_DomainNotFound_and_the_others_still_read()
    {
        host.AddDomain("win-lab-1", LabXml);
        var gathered = await host.GatherAsync(DomainClockScripts.Read("qemu:///system", ["nosuch", "win-lab-1"], forDefine: false), CancellationToken.None);

        var e = Assert.Throws<KvmTimeException>(() => DomainClockReader.Definition(gathered, 0, "nosuch", host.ComputerName));
        Assert.Equal("DomainNotFound", e.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, e.Kind);
        var clock = DomainClockReader.Clock(DomainClockReader.Definition(gathered, 1, "win-lab-1", host.ComputerName), "qemu:///system", host.ComputerName);
        Assert.Equal("utc", clock.Offset);
        Assert.Empty(clock.Timers);
    }

    [Theory]
    [InlineData("x'; touch /tmp/pwned; '")]
    [InlineData("-all")]
    [InlineData("a b")]
    public void Domain_names_that_are_not_libvirt_names_never_reach_a_shell(string name)
    {
        var e = Assert.Throws<KvmTimeException>(() => DomainClockScripts.Read("qemu:///system", [name], forDefine: false));
        Assert.Equal("InvalidDomainName", e.ErrorId);
    }

    [Theory]
    [InlineData("relative/dir")]
    [InlineData("/tmp/a\nb")]
    public void Backup_paths_must_be_absolute_single_lines(string path) =>
        Assert.Equal("InvalidBackupPath", Assert.Throws<KvmTimeException>(() => DomainClockScripts.BackupDirectory(path)).ErrorId);

    [Theory]
    [InlineData(1, "error: failed to get domain 'x'\n", "DomainNotFound")]
    [InlineData(1, "error: failed to connect to the hypervisor\nerror: internal error: unexpected qemu URI path '/nosuch', try qemu:///system\n", "LibvirtUnavailable")]
    [InlineData(127, "sh: 1: virsh: not found\n", "VirshNotFound")]
    [InlineData(1, "error: something else\n", "VirshFailed")]
    public void Real_virsh_errors_map_to_their_own_ids_recorded_output(int exit, string output, string errorId) =>
        Assert.Equal(errorId, VirshFailures.Classify(output, exit, "h", "x").ErrorId);
}
