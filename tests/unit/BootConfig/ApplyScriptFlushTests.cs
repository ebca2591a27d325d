using KvmTime.Changes;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// Issue 12: the new file is flushed before its rename and its directory after it. Logging wrappers
/// in front of the real sync (coreutils, busybox) show what the script asked for; a sync that takes
/// no operands (old busybox) falls back to an fsync applet.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ApplyScriptFlushTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kvmtime-flush-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Bin => Path.Combine(dir, "bin");

    private string Log => Path.Combine(dir, "flush.log");

    private void Wrapper(string name, string body)
    {
        Directory.CreateDirectory(Bin);
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private async Task<string> RunAsync(ChangeScriptShell shell)
    {
        var grub = Path.Combine(dir, "grub");
        File.WriteAllText(grub, "A=1\n");
        var nonce = LinuxGatherScript.NewNonce();
        var plan = new ChangePlan { Files = [new PlannedFile(grub, "A=1\n", "A=2\n", grub + ".bak")] };
        var result = await shell.RunAsync(ApplyScript.Build(plan, new GatherRequest(), nonce, Path.Combine(dir, "state")), Bin);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("A=2\n", File.ReadAllText(grub));
        return nonce;
    }

    [Fact]
    public async Task The_temp_file_is_synced_before_the_rename_and_the_directory_after_it()
    {
        using var shell = ChangeScriptShell.Dash();
        Wrapper("sync", $"printf '%s\\n' \"$*\" >> {ShellQuote.Single(Log)}; exec /bin/sync \"$@\"");

        var nonce = await RunAsync(shell);

        var calls = File.ReadAllLines(Log);
        var temp = Path.Combine(dir, "grub.kvmtime-tmp-" + nonce);
        var fileAt = Array.IndexOf(calls, temp);
        var dirAt = Array.LastIndexOf(calls, "-f " + dir);
        Assert.True(fileAt >= 0, $"the temp file was never synced: {string.Join(" | ", calls)}");
        Assert.True(dirAt > fileAt, $"the directory was not synced after the file: {string.Join(" | ", calls)}");
        Assert.Contains(Path.Combine(dir, "grub.bak.part-" + nonce), calls);
    }

    [Fact]
    public async Task A_sync_without_operands_falls_back_to_fsync()
    {
        using var shell = ChangeScriptShell.Dash();
        Wrapper("sync", "[ $# -eq 0 ] || { echo 'sync: unexpected arguments' >&2; exit 1; }; exec /bin/sync");
        Wrapper("fsync", $"printf '%s\\n' \"$*\" >> {ShellQuote.Single(Log)}");

        var nonce = await RunAsync(shell);

        var calls = File.ReadAllLines(Log);
        Assert.Contains(Path.Combine(dir, "grub.kvmtime-tmp-" + nonce), calls);
        Assert.Contains(dir, calls);
    }

    // busybox sh runs its own sync applet whatever PATH says, so there the operands themselves are checked.
    [Fact]
    public async Task Busybox_sync_takes_the_file_and_directory_operands_the_script_gives_it()
    {
        using var shell = ChangeScriptShell.Busybox() ?? throw new InvalidOperationException("busybox is not installed");
        var file = Path.Combine(dir, "f");
        File.WriteAllText(file, "x");

        var result = await shell.RunAsync($"sync {ShellQuote.Single(file)} && sync -f {ShellQuote.Single(dir)} && echo ok");

        Assert.Equal("ok\n", result.Output);
        Assert.Equal(string.Empty, result.Error);
    }
}
