using System.Globalization;
using System.Management.Automation;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Closes KvmTime sessions and their SSH connections.</summary>
[Cmdlet(VerbsCommon.Remove, "KvmTimeSession", SupportsShouldProcess = true, DefaultParameterSetName = "Session")]
[OutputType(typeof(void))]
public sealed class RemoveKvmTimeSessionCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "Session", Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The sessions to close.")]
    public KvmTimeSession[]? Session { get; set; }

    [Parameter(ParameterSetName = "Id", Mandatory = true, HelpMessage = "The ids of the sessions to close.")]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public int[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var sessions = Session ?? KvmTimeSession.All.Where(s => Id!.Contains(s.Id)).ToArray();
        if (Id is not null)
        {
            foreach (var missing in Id.Where(id => sessions.All(s => s.Id != id)))
            {
                WriteError(new ErrorRecord(new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, Messages.SessionNotFoundToRemove, missing)),
                    ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound, missing));
            }
        }

        foreach (var session in sessions)
        {
            if (ShouldProcess($"{session.UserName}@{session.ComputerName} (Id {session.Id})", "Close KvmTime session"))
            {
                session.Close();
            }
        }
    }
}
