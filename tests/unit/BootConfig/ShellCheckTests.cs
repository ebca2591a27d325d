using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// The target-side check of /etc/default/grub, run by this machine's real /bin/sh on temporary files:
/// every GRUB sample is edited and read back as planned; a plan the target's sh reads differently, or
/// a file that is not sh, is refused before anything is written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ShellCheckTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kvmtime-shcheck-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> GrubSamples => new()
    {
        "boot/documented_format/debian12-default-grub",
        "boot/documented_format/ubuntu2204-default-grub",
        "boot/documented_format/ubuntu-cloudimg-50-settings.cfg",
        "boot/documented_format/rhel7-default-grub",
        "boot/documented_format/rhel8-default-grub",
        "boot/documented_format/rhel9-default-grub",
        "boot/documented_format/sles15-default-grub",
    };

    private string Grub => Path.Combine(dir, "grub");

    // The change state goes to the test's own directory, never the machine's /var/lib/kvmtime.
    private Task<GatherResult> Run(ChangePlan plan) =>
        ChangeRunner.ApplyAsync(LocalTarget.Instance, plan, new GatherRequest(), CancellationToken.None, Path.Combine(dir, "state"));

    private ChangePlan Plan(string old, string planned, ShellCheck check) => new()
    {
        Files = [new PlannedFile(Grub, old, planned, Grub + ".kvmtime-bak") { ShellCheck = check }],
    };

    private ChangePlan Plan(string old, string planned) => Plan(old, planned, new ShellCheck(GrubShellValues.Evaluate(planned, Grub)));

    [Theory]
    [MemberData(nameof(GrubSamples))]
    public async Task Every_grub_sample_is_edited_and_read_back_by_sh_as_planned(string sample)
    {
        var old = SampleFiles.ReadVerbatim(sample);
        var set = EditGrub(old, Set("clocksource=kvm-clock", "tsc=reliable"));
        File.WriteAllText(Grub, old);

        await Run(Plan(old, set));
        Assert.Equal(set, File.ReadAllText(Grub));

        var removed = EditGrub(set, Remove("clocksource", "tsc"));
        File.Delete(Grub + ".kvmtime-bak");
        await Run(Plan(set, removed));
        Assert.Equal(removed, File.ReadAllText(Grub));
    }

    [Fact]
    public async Task A_plan_that_sh_reads_differently_is_refused_with_both_values_and_nothing_is_written()
    {
        var old = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n";
        // What a misreading planner could produce: the planned value KvmTime believes in is not what sh reads.
        // (the second word is a command, so sh sets the variable only for that command).
        var planned = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\" \"clocksource=kvm-clock\"\n";
        File.WriteAllText(Grub, old);

        var e = await Assert.ThrowsAsync<KvmTimeException>(() =>
            Run(Plan(old, planned, new ShellCheck(new Dictionary<string, string> { ["GRUB_CMDLINE_LINUX"] = "quiet clocksource=kvm-clock" }))));

        Assert.Equal("BootConfigVerificationFailed", e.ErrorId);
        Assert.Contains("reads GRUB_CMDLINE_LINUX as '' where KvmTime planned 'quiet clocksource=kvm-clock'", e.Message, StringComparison.Ordinal);
        Assert.Equal(old, File.ReadAllText(Grub));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task A_plan_that_changes_another_variable_is_refused()
    {
        var old = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet\"\n";
        // An unclosed quote swallows the next line into the value: GRUB_TIMEOUT is gone.
        var planned = "GRUB_CMDLINE_LINUX=\"quiet tsc=reliable\nGRUB_TIMEOUT=5\n\"\n";
        File.WriteAllText(Grub, old);

        var e = await Assert.ThrowsAsync<KvmTimeException>(() =>
            Run(Plan(old, planned, new ShellCheck(new Dictionary<string, string> { ["GRUB_CMDLINE_LINUX"] = "quiet tsc=reliable\nGRUB_TIMEOUT=5\n" }))));

        Assert.Equal("BootConfigVerificationFailed", e.ErrorId);
        Assert.Contains("GRUB_TIMEOUT", e.Message, StringComparison.Ordinal);
        Assert.Equal(old, File.ReadAllText(Grub));
    }

    [Fact]
    public async Task A_planned_file_that_is_not_sh_is_BootConfigNotShell()
    {
        var old = "GRUB_CMDLINE_LINUX=\"quiet\"\n";
        var planned = "GRUB_CMDLINE_LINUX=\"quiet\"\nif then\n";
        File.WriteAllText(Grub, old);

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => Run(Plan(old, planned, new ShellCheck(new Dictionary<string, string>()))));

        Assert.Equal("BootConfigNotShell", e.ErrorId);
        Assert.Contains("planned: 2:", e.Message, StringComparison.Ordinal);
        Assert.Equal(old, File.ReadAllText(Grub));
    }

    [Theory]
    [InlineData("[user@host ~]$ sudo cat /etc/default/grub\nGRUB_CMDLINE_LINUX=\"quiet\"\n", 1)]
    [InlineData("GRUB_TIMEOUT=5\nuser@host ~> cat /etc/default/grub\nGRUB_CMDLINE_LINUX=\"quiet\"\n", 2)]
    [InlineData("GRUB_CMDLINE_LINUX=\"quiet\"\nroot@host:~# \n", 2)]
    public void A_pasted_prompt_is_refused_before_planning_with_its_line(string text, int line)
    {
        var e = Assert.Throws<KvmTimeException>(() => EditGrub(text, Remove("tsc")));

        Assert.Equal("BootConfigNotShell", e.ErrorId);
        Assert.Contains($"line {line}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backslash_continued_values_are_edited_and_sh_agrees()
    {
        var old = "GRUB_CMDLINE_LINUX=\"quiet \\\n  splash\"\nGRUB_TIMEOUT=5\n";
        var set = EditGrub(old, Set("tsc=reliable"));
        File.WriteAllText(Grub, old);

        await Run(Plan(old, set));

        Assert.Equal(set, File.ReadAllText(Grub));
        Assert.Equal("quiet   splash tsc=reliable", GrubShellValues.Evaluate(set, Grub)["GRUB_CMDLINE_LINUX"]);

        // Removing the word after the continuation keeps the backslash-newline whole.
        var removed = EditGrub(set, Remove("splash"));
        File.Delete(Grub + ".kvmtime-bak");
        await Run(Plan(set, removed));
        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet \\\n  tsc=reliable\"\nGRUB_TIMEOUT=5\n", File.ReadAllText(Grub));
    }
}
