using KvmTime.Changes;
using KvmTime.Targets;
using Xunit;
using Xunit.Abstractions;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// The real apply script under dash and busybox sh, stopped with TERM or KILL at every stage: before,
/// during and after the write and inside a regenerate command that sleeps. Every run must end with the
/// old grub and grub.cfg or the new pair (after the next change replays what a KILL left behind), with
/// no temp file and no lock left; the test counts both outcomes and needs each to happen.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ApplyScriptKillTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kvmtime-kill-").FullName;
    private readonly ITestOutputHelper log;
    private readonly string old = string.Concat(Enumerable.Repeat("GRUB_X=\"" + new string('a', 200) + "\"\n", 200));

    public ApplyScriptKillTests(ITestOutputHelper log) => this.log = log;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Updated => old + "GRUB_CMDLINE_LINUX=\"clocksource=tsc\"\n";

    private string Grub => Path.Combine(dir, "grub");

    private string Cfg => Path.Combine(dir, "grub.cfg");

    private string Backup => Path.Combine(dir, "grub.kvmtime-backup");

    private string Inside => Path.Combine(dir, "regenerating");

    private string Regenerated => Path.Combine(dir, "regenerated");

    private string State => Path.Combine(dir, "state");

    // grub.cfg is a copy of grub, made halfway through a command that sleeps before and after it.
    private ChangePlan Plan(string? wait = null) => new()
    {
        Files = [new PlannedFile(Grub, old, Updated, Backup)],
        Commands = [$"touch {Q(Inside)}; {wait ?? "sleep 0.4"}; cat {Q(Grub)} > {Q(Cfg)}.new && mv -f {Q(Cfg)}.new {Q(Cfg)}; touch {Q(Regenerated)}; sleep 1"],
        GeneratedFiles = [Cfg],
    };

    private static string Q(string s) => ShellQuote.Single(s);

    private void Reset()
    {
        File.WriteAllText(Grub, old);
        File.WriteAllText(Cfg, old);
        File.Delete(Backup);
        File.Delete(Inside);
        File.Delete(Regenerated);
    }

    public static TheoryData<string> Shells => new() { "dash", "busybox" };

    // busybox is a test dependency (the lab guests run it): a machine without it fails here rather than skipping.
    private static ChangeScriptShell Open(string name) => name == "dash"
        ? ChangeScriptShell.Dash()
        : ChangeScriptShell.Busybox() ?? throw new InvalidOperationException("busybox is not installed: apt-get install busybox");

    private sealed record Stop(string Name, string? Line, string? File, int ExtraMs, string? Expected);

    private static readonly Stop[] Stops =
    [
        new("after the lock", "locked", null, 0, "old"),
        new("at the start of the write", "phase writing", null, 0, null),
        new("during the write", "phase writing", null, 3, null),
        new("inside the regenerate, before grub.cfg", null, "regenerating", 0, "old"),
        new("inside the regenerate, after grub.cfg", null, "regenerated", 0, "old"),
        new("at the verify", "phase verifying", null, 0, null),
        new("after the commit", "committed", null, 0, "new"),
        new("while reading back", "phase reading back", null, 0, "new"),
    ];

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Every_stop_leaves_old_or_new_files_whole_with_no_temp_file_or_lock(string shellName)
    {
        using var shell = Open(shellName);
        var counts = new Dictionary<string, int> { ["old"] = 0, ["new"] = 0 };
        foreach (var signal in new[] { "TERM group", "KILL group", "TERM pid" })
        {
            foreach (var stop in Stops)
            {
                Reset();
                using var run = new ChangeScriptRun(shell, Plan(), State);
                var reached = await run.WaitForAsync(stop.Line, stop.File is null ? null : Path.Combine(dir, stop.File));
                await Task.Delay(stop.ExtraMs);
                if (reached)
                {
                    var pid = run.ChangeId!.Value;
                    ChangeScriptRun.Signal(signal.Split(' ')[0], signal.EndsWith("group", StringComparison.Ordinal) ? -pid : pid);
                }

                var ended = await run.EndAsync();
                var recovery = string.Empty;
                if (ended.ExitCode == ApplyScript.Vanished)
                {
                    // The next change replays what the killed one left; an empty plan is enough.
                    var next = await shell.RunAsync(ApplyScript.Build(new ChangePlan(), new GatherRequest(), LinuxGatherScript.NewNonce(), State));
                    Assert.True(next.ExitCode == 0, $"{signal} {stop.Name}: the next change failed: {next.Error}");
                    recovery = next.Output;
                }

                var outcome = AssertConsistent($"{shellName}, {signal} {stop.Name} (exit {ended.ExitCode})");
                counts[outcome]++;
                log.WriteLine($"{shellName}: {signal,-10} {stop.Name,-42} exit {ended.ExitCode,2} -> {outcome}{(reached ? string.Empty : " (ended before the stop)")}{(recovery.Contains("rolled-back", StringComparison.Ordinal) ? " (journal replayed)" : string.Empty)}{(recovery.Contains("stale-lock", StringComparison.Ordinal) ? " (stale lock taken over)" : string.Empty)}");
                if (stop.Expected is not null)
                {
                    Assert.True(stop.Expected == outcome, $"{shellName}, {signal} {stop.Name}: expected {stop.Expected}, got {outcome}");
                }
            }
        }

        log.WriteLine($"{shellName}: {counts["old"]} old, {counts["new"]} new");
        Assert.True(counts["old"] > 0 && counts["new"] > 0, $"both outcomes must occur: {counts["old"]} old, {counts["new"]} new");
    }

    private string AssertConsistent(string what)
    {
        var grub = File.ReadAllText(Grub);
        var cfg = File.ReadAllText(Cfg);
        Assert.True(grub == old || grub == Updated, $"{what}: grub holds {grub.Length} characters, neither version");
        Assert.True(cfg == grub, $"{what}: grub.cfg does not match grub ({(cfg == old ? "old" : "other")} grub.cfg, {(grub == old ? "old" : "new")} grub)");
        var outcome = grub == old ? "old" : "new";
        if (outcome == "new")
        {
            Assert.Equal(old, File.ReadAllText(Backup));
        }
        else
        {
            Assert.False(File.Exists(Backup), $"{what}: a rolled-back change left its backup");
        }

        var left = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Except(["grub", "grub.cfg", "grub.kvmtime-backup", "regenerating", "regenerated", "state"]);
        Assert.True(!left.Any(), $"{what}: left {string.Join(", ", left)}");
        var state = Directory.GetFileSystemEntries(State).Select(Path.GetFileName).Where(n => n != "lock");
        Assert.True(!state.Any(), $"{what}: the state directory still holds {string.Join(", ", state)}");
        return outcome;
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task A_second_change_while_one_runs_is_refused_with_ChangeInProgress(string shellName)
    {
        using var shell = Open(shellName);
        Reset();
        var go = Path.Combine(dir, "go");
        using var first = new ChangeScriptRun(shell, Plan($"while [ ! -e {Q(go)} ]; do sleep 0.05; done"), State);
        Assert.True(await first.WaitForAsync(null, Inside));

        var second = await shell.RunAsync(ApplyScript.Build(new ChangePlan { Files = [new PlannedFile(Path.Combine(dir, "other"), null, "x\n", null)] }, new GatherRequest(), LinuxGatherScript.NewNonce(), State));

        Assert.Equal(ApplyScript.ChangeInProgress, second.ExitCode);
        Assert.Equal("ChangeInProgress", ApplyScript.Failure(new CommandResult(second.ExitCode, second.Output, second.Error), "t").ErrorId);
        Assert.False(File.Exists(Path.Combine(dir, "other")));
        File.WriteAllText(go, string.Empty);
        Assert.Equal(0, (await first.EndAsync()).ExitCode);
        Assert.Equal(Updated, File.ReadAllText(Grub));
        Assert.Equal(Updated, File.ReadAllText(Cfg));
        File.Delete(go);
        AssertConsistent(shellName);
    }

    [Fact]
    public async Task ChangeInProgress_reaches_the_caller_through_the_runner()
    {
        using var shell = ChangeScriptShell.Dash();
        Reset();
        var go = Path.Combine(dir, "go");
        using var first = new ChangeScriptRun(shell, Plan($"while [ ! -e {Q(go)} ]; do sleep 0.05; done"), State);
        Assert.True(await first.WaitForAsync(null, Inside));

        var e = await Assert.ThrowsAsync<KvmTimeException>(() => ChangeRunner.ApplyAsync(LocalTarget.Instance, new ChangePlan(), new GatherRequest(), CancellationToken.None, State));

        Assert.Equal("ChangeInProgress", e.ErrorId);
        Assert.Equal(FailureKind.ResourceUnavailable, e.Kind);
        File.WriteAllText(go, string.Empty);
        Assert.Equal(0, (await first.EndAsync()).ExitCode);
        File.Delete(go);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task A_change_whose_channel_dies_finishes_and_the_next_change_reports_it(string shellName)
    {
        using var shell = Open(shellName);
        Reset();
        using var run = new ChangeScriptRun(shell, Plan(), State);
        Assert.True(await run.WaitForAsync(null, Inside));

        ChangeScriptRun.Signal("KILL", run.WaiterId);   // the channel goes; the change does not
        await run.EndAsync();
        Assert.False(await run.WaitForAsync("never"), "the change did not end");
        Assert.Contains("exit 0", run.Lines());

        Assert.Equal(Updated, File.ReadAllText(Grub));
        Assert.Equal(Updated, File.ReadAllText(Cfg));
        var nonce = LinuxGatherScript.NewNonce();
        var next = await shell.RunAsync(ApplyScript.Build(new ChangePlan(), new GatherRequest(), nonce, State));
        Assert.Equal(0, next.ExitCode);
        var warnings = PreviousChanges.Parse(next.Output, nonce, State);
        Assert.True(warnings.Count == 1, $"expected one report of the earlier change, got: {next.Output}");
        var warning = warnings[0];
        Assert.Contains("lost its connection but finished", warning, StringComparison.Ordinal);
        AssertConsistent(shellName);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task A_failing_regenerate_puts_back_grub_and_grub_cfg(string shellName)
    {
        using var shell = Open(shellName);
        Reset();
        var plan = Plan();
        var failing = new ChangePlan { Files = plan.Files, GeneratedFiles = plan.GeneratedFiles, Commands = [$"cat {Q(Grub)} > {Q(Cfg)}; echo 'grub-mkconfig: syntax error' >&2; false"] };

        var result = await shell.RunAsync(ApplyScript.Build(failing, new GatherRequest(), LinuxGatherScript.NewNonce(), State));

        Assert.Equal(ApplyScript.CommandFailed, result.ExitCode);
        Assert.Contains("syntax error", result.Error, StringComparison.Ordinal);
        Assert.Contains("every file this change had touched was restored", result.Error, StringComparison.Ordinal);
        Assert.Equal("old", AssertConsistent(shellName));
        Assert.Equal(old, File.ReadAllText(Cfg));
    }
}
