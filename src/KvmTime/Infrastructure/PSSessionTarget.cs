using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// A machine behind a PowerShell session (WinRM or SSH transport). A runspace runs one pipeline
/// at a time, so calls through one session are serialized; different sessions run in parallel.
/// </summary>
internal sealed class PSSessionTarget : ITarget, IPowerShellRunner
{
    // Runs sh on the remote side with exact bytes in and out (native-command piping would re-split lines).
    private const string ShellRunner = """
        param([string] $Script, [string] $InputText)
        $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $psi.ArgumentList.Add('-c'); $psi.ArgumentList.Add($Script)
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.RedirectStandardInput = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        if ($InputText) { $p.StandardInput.Write($InputText) }
        $p.StandardInput.Close()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out; Err = $err.Result }
        """;

    private const string OsProbe = "if ($IsLinux) { 'Linux' } elseif ($IsMacOS) { 'macOS' } else { 'Windows' }";

    private static readonly ConcurrentDictionary<Guid, PSSessionTarget> Targets = new();

    private readonly PSSession session;
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private TargetOs? os;

    private PSSessionTarget(PSSession session) => this.session = session;

    public string ComputerName => session.ComputerName;

    /// <summary>The PSSession's Id in the runspace that opened it (Get-PSSession -Id).</summary>
    public int SessionId => session.Id;

    public TargetOs Os => os ?? TargetOs.Unknown;

    /// <summary>One target per runspace, so concurrent cmdlets share its lock.</summary>
    public static PSSessionTarget For(PSSession session) => Targets.GetOrAdd(session.InstanceId, _ => new PSSessionTarget(session));

    public async Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        await RequireLinuxAsync(cancellationToken).ConfigureAwait(false);
        return await ShellGather.RunAsync(this, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken)
    {
        var output = await InvokeAsync(ShellRunner, new Dictionary<string, object?> { ["Script"] = script, ["InputText"] = standardInput }, cancellationToken).ConfigureAwait(false);
        var result = output.LastOrDefault() ?? throw Failure(Messages.RemoteShellReturnedNothing);
        return new CommandResult(
            Convert.ToInt32(result.Properties["ExitCode"].Value, System.Globalization.CultureInfo.InvariantCulture),
            result.Properties["Out"].Value as string ?? string.Empty,
            result.Properties["Err"].Value as string ?? string.Empty);
    }

    /// <summary>Runs a PowerShell script in the session (Windows targets use this directly).</summary>
    public async Task<IReadOnlyList<PSObject>> InvokeAsync(string script, IDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        if (session.Runspace.RunspaceStateInfo.State != RunspaceState.Opened)
        {
            throw new KvmTimeException(ErrorIds.SessionNotOpen, FailureKind.ConnectionError,
                string.Format(CultureInfo.InvariantCulture, Messages.SessionNotOpen, ComputerName, session.Runspace.RunspaceStateInfo.State)) { ComputerName = ComputerName };
        }

        await oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var powershell = PowerShell.Create();
            powershell.Runspace = session.Runspace;
            powershell.AddScript(script);
            foreach (var (name, value) in parameters)
            {
                powershell.AddParameter(name, value);
            }

            using var registration = cancellationToken.Register(() => powershell.BeginStop(null, null));
            var output = await Task.Factory.FromAsync(powershell.BeginInvoke(), powershell.EndInvoke).ConfigureAwait(false);
            if (powershell.HadErrors && output.Count == 0)
            {
                throw Failure(string.Join("; ", powershell.Streams.Error.Select(e => e.ToString())));
            }

            return output.ToList();
        }
        catch (RuntimeException e)
        {
            throw Failure(e.Message);
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    public async Task<string?> InvokeForTextAsync(string script, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken) =>
        (await InvokeAsync(script, parameters.ToDictionary(p => p.Key, p => p.Value), cancellationToken).ConfigureAwait(false)).LastOrDefault()?.BaseObject as string;

    /// <summary>Asks the session once which OS it runs; Windows cmdlets branch on it.</summary>
    public async Task<TargetOs> DetectOsAsync(CancellationToken cancellationToken)
    {
        if (os is null)
        {
            var answer = await InvokeAsync(OsProbe, new Dictionary<string, object?>(), cancellationToken).ConfigureAwait(false);
            os = answer.FirstOrDefault()?.BaseObject as string == "Linux" ? TargetOs.Linux : TargetOs.Windows;
        }

        return os.Value;
    }

    private async Task RequireLinuxAsync(CancellationToken cancellationToken)
    {
        if (await DetectOsAsync(cancellationToken).ConfigureAwait(false) != TargetOs.Linux)
        {
            throw new KvmTimeException(ErrorIds.WindowsTargetNotSupported, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.WindowsTargetNotSupported, ComputerName)) { ComputerName = ComputerName };
        }
    }

    private KvmTimeException Failure(string message) =>
        new(ErrorIds.RemoteCommandFailed, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.ComputerPrefixed, ComputerName, message)) { ComputerName = ComputerName };
}
