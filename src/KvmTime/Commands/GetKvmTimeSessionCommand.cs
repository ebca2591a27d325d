using System.Globalization;
using System.Management.Automation;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Lists the open KvmTime sessions of this process, from every runspace.</summary>
[Cmdlet(VerbsCommon.Get, "KvmTimeSession", DefaultParameterSetName = "All")]
[OutputType(typeof(KvmTimeSession))]
public sealed class GetKvmTimeSessionCommand : PSCmdlet
{
    [Parameter(ParameterSetName = "Id", Mandatory = true, Position = 0, HelpMessage = "Session ids to get.")]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public int[]? Id { get; set; }

    [Parameter(ParameterSetName = "ComputerName", Mandatory = true, HelpMessage = "Machine names to get sessions for; wildcards allowed.")]
    [Alias("CN", "HostName")]
    [SupportsWildcards]
    public string[]? ComputerName { get; set; }

    protected override void ProcessRecord()
    {
        var sessions = KvmTimeSession.All;
        if (Id is not null)
        {
            foreach (var id in Id)
            {
                var found = sessions.FirstOrDefault(s => s.Id == id);
                if (found is null)
                {
                    WriteError(new ErrorRecord(new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, Messages.SessionNotFound, id)),
                        ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound, id));
                }
                else
                {
                    WriteObject(found);
                }
            }

            return;
        }

        var patterns = (ComputerName ?? ["*"]).Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
        WriteObject(sessions.Where(s => patterns.Any(p => p.IsMatch(s.ComputerName))), enumerateCollection: true);
    }
}
