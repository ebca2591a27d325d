using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmTime.Host;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// Tab completion for -Domain: the libvirt domains of the host the command targets. This host is
/// asked with 'virsh list'; a remote host only through a KvmTime session already open to it (a new
/// SSH login per key press would be too slow). Each answer must come within two seconds.
/// </summary>
public sealed class DomainNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var uri = fakeBoundParameters?["LibvirtUri"] as string ?? LibvirtNames.DefaultUri;
        var names = ListDomains(fakeBoundParameters, uri);
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    private static IReadOnlyList<string> ListDomains(IDictionary? bound, string uri)
    {
        try
        {
            LibvirtNames.Uri(uri); // the URI reaches a shell: only a valid one is used
        }
        catch (KvmTimeException)
        {
            return [];
        }

        var script = "virsh -c " + ShellQuote.Single(uri) + " list --all --name";
        var computer = bound?["ComputerName"] is { } value ? LanguagePrimitives.ConvertTo<string[]>(value).FirstOrDefault() : null;
        if (computer is null or "." or "localhost")
        {
            return Lines(RunLocal(script));
        }

        var session = KvmTimeSession.All.FirstOrDefault(s => s.State == "Opened" && string.Equals(s.ComputerName, computer, StringComparison.OrdinalIgnoreCase));
        if (session is null)
        {
            return [];
        }

        using var cancel = new CancellationTokenSource(Budget);
        try
        {
            return Lines(session.TargetForUse().RunShellAsync(script, null, cancel.Token).GetAwaiter().GetResult().StandardOutput);
        }
        catch (Exception e) when (e is KvmTimeException or OperationCanceledException)
        {
            return [];
        }
    }

    private static string RunLocal(string script)
    {
        try
        {
            var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script);
            using var process = Process.Start(info);
            if (process is null)
            {
                return string.Empty;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Budget))
            {
                process.Kill(entireProcessTree: true);
                return string.Empty;
            }

            return output.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
