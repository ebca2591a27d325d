using System.Management.Automation;
using KvmTime.Health;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The parameters that reach a checked target again, for the Fix lines of Test-KvmTimeHealth: none for
/// this machine, the session by Id, or -ComputerName with the connection parameters the check was given.
/// </summary>
internal static class FixTargetArguments
{
    public static FixCommand For(ITarget target, TargetCmdlet cmdlet)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(cmdlet);
        if (target is LocalTarget)
        {
            return new FixCommand(string.Empty);
        }

        if (target is PSSessionTarget ps)
        {
            return new FixCommand($"-Session (Get-PSSession -Id {ps.SessionId.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        var session = cmdlet.Session?.Select(s => s.Value).OfType<KvmTimeSession>().FirstOrDefault(s => s.ComputerName == target.ComputerName);
        if (session is not null)
        {
            return new FixCommand($"-Session (Get-KvmTimeSession -Id {session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }

        var parts = new List<string> { "-ComputerName " + FixCommand.Quote(target.ComputerName) };
        var bound = cmdlet.MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(cmdlet.UserName)) && cmdlet.UserName is { } user)
        {
            parts.Add("-UserName " + FixCommand.Quote(user));
        }

        if (cmdlet.Credential is { } credential)
        {
            parts.Add($"-Credential (Get-Credential {FixCommand.Quote(credential.UserName)})");
        }

        foreach (var (name, value) in new[] { (nameof(cmdlet.KeyFilePath), cmdlet.KeyFilePath), (nameof(cmdlet.KnownHostsPath), cmdlet.KnownHostsPath) })
        {
            if (value is not null)
            {
                parts.Add($"-{name} {FixCommand.Quote(value)}");
            }
        }

        if (cmdlet.UseSudo)
        {
            parts.Add("-UseSudo");
        }

        return new FixCommand(string.Join(' ', parts));
    }
}
