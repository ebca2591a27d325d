using System.Diagnostics;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// A shell to run the apply script under, the way a target would: dash with this machine's
/// coreutils and flock, or busybox sh with a PATH of busybox applets only (no flock, so the lock
/// directory is used). <see cref="Dispose"/> removes the applet folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ChangeScriptShell : IDisposable
{
    private readonly string? appletDirectory;

    private ChangeScriptShell(string name, string shell, string path, string? appletDirectory)
    {
        Name = name;
        Shell = shell;
        Path = path;
        this.appletDirectory = appletDirectory;
    }

    public string Name { get; }

    public string Shell { get; }

    public string Path { get; }

    public static ChangeScriptShell Dash() => new("dash", "/bin/sh", "/usr/local/bin:/usr/bin:/bin", null);

    /// <summary>Null when busybox is not installed.</summary>
    public static ChangeScriptShell? Busybox(params string[] without)
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists);
        if (busybox is null)
        {
            return null;
        }

        var list = Process.Start(new ProcessStartInfo(busybox, "--list") { RedirectStandardOutput = true })!;
        var applets = list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        list.WaitForExit();
        var dir = Directory.CreateTempSubdirectory("kvmtime-busybox-").FullName;
        foreach (var applet in applets.Except(without))
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(dir, applet), busybox);
        }

        return new ChangeScriptShell("busybox", System.IO.Path.Combine(dir, "sh"), dir, dir);
    }

    /// <summary>Starts <paramref name="script"/> as sh -c, with only <see cref="Path"/> to find commands in.</summary>
    public Process Start(string script, string? extraPath = null)
    {
        var start = new ProcessStartInfo(Shell)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment.Clear();
        start.Environment["PATH"] = extraPath is null ? Path : extraPath + ":" + Path;
        return Process.Start(start)!;
    }

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(string script, string? extraPath = null)
    {
        using var process = Start(script, extraPath);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        if (appletDirectory is not null)
        {
            Directory.Delete(appletDirectory, recursive: true);
        }
    }

    public override string ToString() => Name;
}
