using System.Diagnostics;

namespace KvmTime.Tests;

/// <summary>Runs a script in a real shell of this machine (busybox as its sh applet), or a program, and returns its exit code and stdout.</summary>
internal static class TestShell
{
    public static Task<(int Code, string Text)> RunAsync(string shell, string script) =>
        shell.EndsWith("busybox", StringComparison.Ordinal) ? RunProgramAsync(shell, "sh", "-c", script) : RunProgramAsync(shell, "-c", script);

    public static async Task<(int Code, string Text)> RunProgramAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, text);
    }
}
