using System.Diagnostics;
using KvmTime.Changes;
using KvmTime.Targets;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// One apply script started in a shell, watched through its status file in the state directory
/// (phases, the detached change's pid), so a test can stop it at a chosen point.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ChangeScriptRun : IDisposable
{
    private readonly Process waiter;
    private readonly Task<string> output;
    private readonly Task<string> error;

    public ChangeScriptRun(ChangeScriptShell shell, ChangePlan plan, string stateDirectory, string? extraPath = null)
    {
        Nonce = LinuxGatherScript.NewNonce();
        StatusPath = Path.Combine(stateDirectory, $"run-{Nonce}.status");
        waiter = shell.Start(ApplyScript.Build(plan, new GatherRequest(), Nonce, stateDirectory), extraPath);
        output = waiter.StandardOutput.ReadToEndAsync();
        error = waiter.StandardError.ReadToEndAsync();
    }

    public string Nonce { get; }

    public string StatusPath { get; }

    public int WaiterId => waiter.Id;

    /// <summary>The detached change's pid (also its process group: setsid made it a leader), once it wrote it.</summary>
    public int? ChangeId { get; private set; }

    public IReadOnlyList<string> Lines()
    {
        try
        {
            return File.ReadAllLines(StatusPath);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// Waits until the status file holds <paramref name="line"/> or <paramref name="file"/> exists; false
    /// when the change ended first (a stop point late in a fast run).
    /// </summary>
    public async Task<bool> WaitForAsync(string? line, string? file = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var lines = Lines();
            var pid = lines.FirstOrDefault(l => l.StartsWith("pid ", StringComparison.Ordinal));
            ChangeId ??= pid is null ? null : int.Parse(pid.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if ((line is not null && lines.Contains(line)) || (file is not null && File.Exists(file)))
            {
                return true;
            }

            if (lines.Any(l => l.StartsWith("exit ", StringComparison.Ordinal)) || (waiter.HasExited && !File.Exists(StatusPath)))
            {
                return false;
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"never reached '{line ?? file}'; status: {string.Join(" | ", lines)}");
            }

            await Task.Delay(1);
        }
    }

    public async Task<(int ExitCode, string Output, string Error)> EndAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await waiter.WaitForExitAsync(timeout.Token);
        return (waiter.ExitCode, await output, await error);
    }

    public static void Signal(string signal, int pid) =>
        Process.Start(new ProcessStartInfo("/bin/kill", ["-s", signal, "--", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!.WaitForExit();

    public void Dispose()
    {
        if (!waiter.HasExited)
        {
            waiter.Kill();
        }

        waiter.Dispose();
    }
}
