using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime;

/// <summary>
/// Runs KvmTime's PowerShell snippets on Windows targets: through the PSSession, or in a fresh
/// runspace when the local machine is Windows. Each snippet prints one JSON line; Core parses it.
/// </summary>
internal static class WindowsTargets
{
    public static async Task<bool> IsWindowsAsync(ITarget target, CancellationToken cancellationToken) => target switch
    {
        PSSessionTarget session => await session.DetectOsAsync(cancellationToken).ConfigureAwait(false) == TargetOs.Windows,
        _ => target.Os == TargetOs.Windows,
    };

    public static async Task<string> InvokeAsync(ITarget target, string script, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        IReadOnlyList<PSObject> output;
        if (target is PSSessionTarget session)
        {
            output = await session.InvokeAsync(script, parameters.ToDictionary(p => p.Key, p => p.Value), cancellationToken).ConfigureAwait(false);
        }
        else
        {
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
            output = (await Task.Factory.FromAsync(powershell.BeginInvoke(), powershell.EndInvoke).ConfigureAwait(false)).ToList();
        }

        return output.LastOrDefault()?.BaseObject as string
            ?? throw new KvmTimeException("RemoteCommandFailed", FailureKind.InvalidOperation, $"{target.ComputerName}: the Windows snippet returned nothing.") { ComputerName = target.ComputerName };
    }

    /// <summary>A Windows machine's ClocksourceInfo, with its Windows-only part in a Windows property (absent on Linux objects).</summary>
    public static async Task<PSObject> ClocksourceAsync(ITarget target, CancellationToken cancellationToken)
    {
        var facts = await FactsAsync(target, cancellationToken).ConfigureAwait(false);
        var (info, windows) = WindowsClockParser.Clocksource(facts, target.ComputerName);
        var wrapped = PSObject.AsPSObject(info);
        wrapped.Properties.Add(new PSNoteProperty("Windows", windows));
        return wrapped;
    }

    public static async Task<WindowsClockFacts> FactsAsync(ITarget target, CancellationToken cancellationToken)
    {
        var json = await InvokeAsync(target, WindowsClockScript.Script, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
        return WindowsClockParser.Parse(json, target.ComputerName);
    }
}
