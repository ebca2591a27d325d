using System.Management.Automation;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Finds clocksource events (switches, watchdog verdicts, TSC marks, sync checks, calibration,
/// kvm-clock) in a machine's kernel log: the journal, dmesg, syslog files or given files.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClocksourceEvent", DefaultParameterSetName = SourceSet)]
[OutputType(typeof(ClocksourceEvent), typeof(ClocksourceEventSummary))]
public sealed class GetClocksourceEventCommand : KernelLogCmdlet
{
    [Parameter(HelpMessage = "Only events at or after this time.")]
    public DateTime? Since { get; set; }

    [Parameter(HelpMessage = "Only events at or before this time.")]
    public DateTime? Until { get; set; }

    [Parameter(HelpMessage = "Only events of these kinds.")]
    public ClocksourceEventKind[] Kind { get; set; } = [];

    /// <summary>An event matches when it names one of these as its clocksource, watchdog or current clocksource.</summary>
    [Parameter(HelpMessage = "Only events that name one of these clocksources.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClocksourceCompleter))]
    public string[] Clocksource { get; set; } = [];

    [Parameter(HelpMessage = "One summary per machine: counts by kind and the last unstable event.")]
    public SwitchParameter Summary { get; set; }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var query = new ClocksourceEventQuery
        {
            Source = Source,
            Boot = Boot,
            Paths = LogPaths,
            SinceUtc = Since?.ToUniversalTime(),
            UntilUtc = Until?.ToUniversalTime(),
            Kinds = Kind,
            Clocksources = Clocksource,
            BootTimeUtc = BootTime?.ToUniversalTime(),
        };
        var events = Report(await ClocksourceEventRead.ReadAsync(target, query, LocalLogPaths, cancellationToken).ConfigureAwait(false));
        return Summary ? ClocksourceEventSummarizer.Summarize(target.ComputerName, events).ToList<object>() : events.ToList<object>();
    }
}
