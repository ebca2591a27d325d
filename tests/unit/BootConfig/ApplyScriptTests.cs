using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// The real apply script, run by /bin/sh on this machine against files in a temporary directory:
/// the same script a remote target runs, with paths that cannot hurt the build machine.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ApplyScriptTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kvmtime-apply-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    private (ChangePlan Plan, string Old, string New) GrubPlan(string? command = null)
    {
        var old = SampleFiles.ReadVerbatim("boot/documented_format/debian12-default-grub");
        File.WriteAllText(PathOf("grub"), old);
        var updated = EditGrub(old, Set("clocksource=kvm-clock"));
        var plan = new ChangePlan
        {
            Files = [new PlannedFile(PathOf("grub"), old, updated, PathOf("grub.kvmtime-20260101T000000000Z"))],
            Commands = command is null ? [] : [command],
        };
        return (plan, old, updated);
    }

    private string StateDirectory => PathOf("state");

    private Task<GatherResult> Run(ChangePlan plan) =>
        ChangeRunner.ApplyAsync(LocalTarget.Instance, plan, new GatherRequest(), CancellationToken.None, StateDirectory);

    [Fact]
    public async Task Writes_the_new_content_keeps_a_backup_and_leaves_no_temp_file()
    {
        var (plan, old, updated) = GrubPlan();
        File.SetUnixFileMode(PathOf("grub"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        await Run(plan);

        Assert.Equal(updated, File.ReadAllText(PathOf("grub")));
        Assert.Equal(old, File.ReadAllText(PathOf("grub.kvmtime-20260101T000000000Z")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(PathOf("grub")));
        Assert.Equal(["lock"], Directory.GetFileSystemEntries(StateDirectory).Select(Path.GetFileName));
        Assert.Equal(["grub", "grub.kvmtime-20260101T000000000Z"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_file_changed_since_it_was_read_is_not_written()
    {
        var (plan, _, _) = GrubPlan();
        File.AppendAllText(PathOf("grub"), "# edited by someone else\n");
        var changed = File.ReadAllText(PathOf("grub"));

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => Run(plan));

        Assert.Equal("BootConfigChangedConcurrently", e.ErrorId);
        Assert.Equal(changed, File.ReadAllText(PathOf("grub")));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task A_failing_regenerate_command_restores_the_file_from_its_backup()
    {
        var (plan, old, _) = GrubPlan("echo 'grub-mkconfig: syntax error' >&2; false");

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => Run(plan));

        Assert.Equal("BootConfigRegenerateFailed", e.ErrorId);
        Assert.Contains("syntax error", e.Message, StringComparison.Ordinal);
        Assert.Equal(old, File.ReadAllText(PathOf("grub")));
    }

    [Fact]
    public async Task The_regenerate_command_sees_the_new_file()
    {
        var (plan, _, _) = GrubPlan($"grep -q clocksource=kvm-clock {ShellQuote.Single(PathOf("grub"))}");

        await Run(plan);

        Assert.Contains("clocksource=kvm-clock", File.ReadAllText(PathOf("grub")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_file_is_created_and_content_with_quotes_and_dollars_arrives_byte_for_byte()
    {
        var content = "it's \"quoted\" $HOME `x` \\ \n\ttab\n\n";
        var plan = new ChangePlan { Files = [new PlannedFile(PathOf("sub/cmdline"), null, content, null)] };

        await Run(plan);

        Assert.Equal(content, File.ReadAllText(PathOf("sub/cmdline")));
    }
}
