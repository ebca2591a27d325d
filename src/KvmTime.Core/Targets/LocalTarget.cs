using System.Diagnostics;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>
/// The machine the module runs on. Files are read in-process (no shell, so a warm call costs
/// microseconds); commands go through /bin/sh like on every other Linux target.
/// </summary>
internal sealed class LocalTarget : ITarget
{
    public static readonly LocalTarget Instance = new();

    private LocalTarget()
    {
    }

    public string ComputerName { get; } = Environment.MachineName;

    public TargetOs Os { get; } =
        OperatingSystem.IsLinux() ? TargetOs.Linux :
        OperatingSystem.IsWindows() ? TargetOs.Windows : TargetOs.Unknown;

    public async Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = new List<GatherValue>(request.Items.Count);
        foreach (var item in request.Items)
        {
            values.Add(item.Kind switch
            {
                GatherItemKind.File => ReadFile(item.Key, item.Text, firstBlock: false),
                GatherItemKind.FileFirstBlock => ReadFile(item.Key, item.Text, firstBlock: true),
                _ => await RunItemAsync(item, cancellationToken).ConfigureAwait(false),
            });
        }

        var result = new GatherResult(values);
        TargetLog.Verbose(ComputerName, result.Describe());
        return result;
    }

    public async Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken)
    {
        if (Os != TargetOs.Linux)
        {
            throw new KvmTimeException(ErrorIds.LocalShellUnavailable, FailureKind.NotImplemented,
                Messages.LocalShellUnavailable);
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start) ?? throw new KvmTimeException(ErrorIds.LocalShellUnavailable, FailureKind.ResourceUnavailable, Messages.LocalShellNotStarted);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private async Task<GatherValue> RunItemAsync(GatherItem item, CancellationToken cancellationToken)
    {
        var result = await RunShellAsync(item.Text, null, cancellationToken).ConfigureAwait(false);
        return new GatherValue(item.Key, result.StandardOutput, result.ExitCode);
    }

    private static GatherValue ReadFile(string key, string path, bool firstBlock)
    {
        try
        {
            var text = File.ReadAllText(path);
            if (firstBlock)
            {
                var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
                text = blank < 0 ? text : text[..(blank + 2)];
            }

            return new GatherValue(key, text, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new GatherValue(key, string.Empty, 1);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return new GatherValue(key, string.Empty, 2);
        }
    }
}
