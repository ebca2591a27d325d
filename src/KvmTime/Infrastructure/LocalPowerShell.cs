using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>Runs KvmTime's Windows snippets on this machine, in a fresh runspace each time (a cmdlet's own runspace is busy running it).</summary>
internal sealed class LocalPowerShell : IPowerShellRunner
{
    public static readonly LocalPowerShell Instance = new();

    private LocalPowerShell()
    {
    }

    public Task<TargetOs> DetectOsAsync(CancellationToken cancellationToken) => Task.FromResult(LocalTarget.Instance.Os);

    public async Task<string?> InvokeForTextAsync(string script, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var runspace = RunspaceFactory.CreateRunspace();
        runspace.Open();
        using var powershell = PowerShell.Create();
        powershell.Runspace = runspace;
        powershell.AddScript(script);
        foreach (var (name, value) in parameters)
        {
            powershell.AddParameter(name, value);
        }

        using var registration = cancellationToken.Register(() => powershell.BeginStop(null, null));
        var output = await Task.Factory.FromAsync(powershell.BeginInvoke(), powershell.EndInvoke).ConfigureAwait(false);
        return output.LastOrDefault()?.BaseObject as string;
    }
}
