using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The base of every cmdlet that works on machines: the local machine, SSH hosts by
/// -ComputerName, or open sessions (KvmTime SSH sessions and PowerShell PSSessions) by -Session.
/// </summary>
public abstract class TargetCmdlet : ConnectionCmdlet
{
    /// <summary>Sessions to reuse: from New-KvmTimeSession, or PowerShell PSSessions (WinRM or SSH). When given, -ComputerName is ignored.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "KvmTime sessions (New-KvmTimeSession) or PSSessions to work through.")]
    [ValidateNotNullOrEmpty]
    public SessionInput[]? Session { get; set; }

    private protected override IEnumerable<(ITarget Target, bool Owned, KvmTimeSession? Session)> ResolveTargets()
    {
        if (Session is { Length: > 0 })
        {
            foreach (var item in Session)
            {
                Verbose(item.ToString(), "through the session");
                yield return item.Value switch
                {
                    KvmTimeSession kvm => (kvm.TargetForUse(), false, kvm),
                    PSSession ps => (PSSessionTarget.For(ps), false, null),
                    _ => throw new KvmTimeException(ErrorIds.InvalidSession, FailureKind.InvalidArgument,
                        string.Format(CultureInfo.InvariantCulture, Messages.InvalidSession, item.Value.GetType().Name)),
                };
            }

            yield break;
        }

        if (TargetNames is not { Length: > 0 } names)
        {
            Verbose(Environment.MachineName, "this machine, in-process (no -ComputerName)");
            yield return (LocalTarget.Instance, false, null);
            yield break;
        }

        foreach (var name in names)
        {
            if (IsLocal(name))
            {
                Verbose(name, "this machine, in-process: a local name without -Port, -UserName, -Credential or -KeyFilePath");
                yield return (LocalTarget.Instance, false, null);
            }
            else
            {
                Verbose(name, "over SSH");
                yield return (TargetFactory.Ssh(SshOptionsFor(name)), true, null);
            }
        }
    }

    /// <summary>
    /// -Path means files on this machine for the local target: PowerShell paths and wildcards resolve
    /// here, on the pipeline thread. A path that does not resolve stays as typed, for the reader's error.
    /// </summary>
    private protected List<string> ResolveLocalPaths(IEnumerable<string> paths) => paths.SelectMany(path =>
    {
        try
        {
            return SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (Exception e) when (e is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
        {
            return (IEnumerable<string>)[path];
        }
    }).ToList();

    // ResolveTargets runs on the pipeline thread, so it may write verbose directly.
    private void Verbose(string target, string route) => WriteVerbose($"{target}: {route}");
}
