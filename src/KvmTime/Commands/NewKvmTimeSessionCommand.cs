using System.Globalization;
using System.Management.Automation;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Opens reusable SSH connections, verified against known_hosts, for -Session.</summary>
[Cmdlet(VerbsCommon.New, "KvmTimeSession")]
[OutputType(typeof(KvmTimeSession))]
public sealed class NewKvmTimeSessionCommand : ConnectionCmdlet
{
    protected override void ProcessRecord()
    {
        if (TargetNames is not { Length: > 0 })
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(Messages.ComputerNameRequired),
                ErrorIds.ComputerNameRequired, ErrorCategory.InvalidArgument, null));
        }

        base.ProcessRecord();
    }

    private protected override IEnumerable<(ITarget Target, bool Owned, KvmTimeSession? Session)> ResolveTargets() =>
        TargetNames!.Select(name => (TargetFactory.Ssh(SshOptionsFor(name)), false, (KvmTimeSession?)null));

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var (user, port) = target is IHasSshOptions ssh ? (ssh.Options.UserName, ssh.Options.Port) : (Environment.UserName, 22);
        try
        {
            // A cheap round trip proves the connection and the login before the session is handed out.
            var probe = await target.RunShellAsync("true", null, cancellationToken).ConfigureAwait(false);
            if (probe.ExitCode != 0)
            {
                throw new KvmTimeException(ErrorIds.SessionProbeFailed, FailureKind.ConnectionError,
                    string.Format(CultureInfo.InvariantCulture, Messages.SessionProbeFailed, target.ComputerName, probe.StandardError.Trim()))
                { ComputerName = target.ComputerName };
            }
        }
        catch
        {
            (target as IDisposable)?.Dispose();
            throw;
        }

        return [KvmTimeSession.Register(target, user, port)];
    }
}
