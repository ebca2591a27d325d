using System.Diagnostics;
using KvmTime.Host;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Watch;

/// <summary>
/// The event long poll, run by the real sh against a stand-in virsh that prints events on a schedule
/// (it ends in 'exec sleep', so the poll's kill ends it and no process outlives the test).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VirshEventCommandsTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "kvmtime-event-" + Guid.NewGuid().ToString("N")[..8]);

    public VirshEventCommandsTests() => Directory.CreateDirectory(Path.Combine(directory, "bin"));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task<(CommandResult Result, TimeSpan Took)> RunAsync(string fakeVirshBody, int timeoutSeconds)
    {
        var virsh = Path.Combine(directory, "bin", "virsh");
        File.WriteAllText(virsh, "#!/bin/sh\n" + fakeVirshBody + "\n");
        File.SetUnixFileMode(virsh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var watch = Stopwatch.StartNew();
        var result = await LocalTarget.Instance.RunShellAsync(
            $"PATH={ShellQuote.Single(Path.Combine(directory, "bin"))}:$PATH; TMPDIR={ShellQuote.Single(directory)}; export TMPDIR\n" + VirshEventCommands.NextEvents("qemu:///system", timeoutSeconds),
            null, CancellationToken.None);
        return (result, watch.Elapsed);
    }

    [Fact]
    public async Task Returns_soon_after_the_first_event_with_the_rest_of_its_burst()
    {
        var (result, took) = await RunAsync("""
            sleep 0.5
            echo "2026-12-05 21:12:20.056+0000: event 'lifecycle' for domain 'web01': Started Restored"
            echo "2026-12-05 21:12:20.077+0000: event 'lifecycle' for domain 'web01': Resumed Snapshot"
            exec sleep 30
            """, 20);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["Started Restored", "Resumed Snapshot"], DomainEventParser.ParseAll(result.StandardOutput).Select(e => e.Detail));
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}");
    }

    [Fact]
    public async Task A_quiet_host_ends_the_poll_at_its_timeout_with_no_events()
    {
        var (result, _) = await RunAsync("exec sleep 30", 1);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(DomainEventParser.ParseAll(result.StandardOutput));
    }

    [Fact]
    public async Task A_virsh_failure_keeps_its_exit_code_and_text_and_leaves_no_file()
    {
        var (result, _) = await RunAsync("echo 'error: failed to connect to the hypervisor' >&2; exit 1", 5);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("failed to connect to the hypervisor", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("LibvirtUnavailable", VirshFailures.Classify(result.StandardOutput, result.ExitCode, "kvm01", "(events)").ErrorId);
        Assert.Equal(["bin"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }
}
