using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The base of every cmdlet that works on machines: the local machine, SSH hosts by
/// -ComputerName, or open sessions (KvmTime SSH sessions and PowerShell PSSessions) by -Session.
/// </summary>
public abstract class TargetCmdlet : ConnectionCmdlet
{
    /// <summary>Sessions to reuse: from New-KvmTimeSession, or PowerShell PSSessions (WinRM or SSH). When given, -ComputerName is ignored.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "KvmTime sessions (New-KvmTimeSession) or PSSessions to work through.")]
    [ValidateNotNullOrEmpty]
    public object[]? Session { get; set; }

    private protected override IEnumerable<(ITarget Target, bool Owned, KvmTimeSession? Session)> ResolveTargets()
    {
        if (Session is { Length: > 0 })
        {
            foreach (var item in Session)
            {
                yield return (item is PSObject wrapped ? wrapped.BaseObject : item) switch
                {
                    KvmTimeSession kvm => (kvm.TargetForUse(), false, kvm),
                    PSSession ps => (PSSessionTarget.For(ps), false, null),
                    _ => throw new KvmTimeException("InvalidSession", FailureKind.InvalidArgument,
                        $"-Session takes sessions from New-KvmTimeSession or New-PSSession, not {item?.GetType().Name ?? "null"}."),
                };
            }

            yield break;
        }

        if (ComputerName is null || ComputerName.Length == 0)
        {
            yield return (LocalTarget.Instance, false, null);
            yield break;
        }

        foreach (var name in ComputerName)
        {
            yield return IsLocal(name) ? (LocalTarget.Instance, false, null) : (TargetFactory.Ssh(SshOptionsFor(name)), true, null);
        }
    }
}
