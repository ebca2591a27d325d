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
public sealed class GetClocksourceEventCommand : TargetCmdlet
{
    private const string SourceSet = "Source";
    private const string PathSet = "Path";

    private readonly List<string> pipedPaths = [];
    private ClocksourceEventQuery query = new();
    private List<string>? localPaths;

    /// <summary>Where to read the kernel log; Auto picks the journal, then syslog files, then dmesg.</summary>
    [Parameter(ParameterSetName = SourceSet, HelpMessage = "Auto, Journal, Dmesg or Syslog.")]
    public KernelLogSource Source { get; set; } = KernelLogSource.Auto;

    /// <summary>Journal boot offset: 0 is the current boot, -1 the one before.</summary>
    [Parameter(ParameterSetName = SourceSet, HelpMessage = "Journal boot offset: 0 current, -1 previous, ...")]
    [ValidateRange(-10000, 0)]
    public int? Boot { get; set; }

    /// <summary>Kernel log files to read (plain or .gz) instead of the system's sources.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, HelpMessage = "Kernel log files to read, plain or .gz.")]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The boot time for [ seconds ] stamps in files from another boot or machine.</summary>
    [Parameter(ParameterSetName = PathSet, HelpMessage = "Boot time for boot-relative stamps in the files.")]
    public DateTime? BootTime { get; set; }

    /// <summary>Only events at or after this time.</summary>
    [Parameter(HelpMessage = "Only events at or after this time.")]
    public DateTime? Since { get; set; }

    /// <summary>Only events at or before this time.</summary>
    [Parameter(HelpMessage = "Only events at or before this time.")]
    public DateTime? Until { get; set; }

    /// <summary>Only events of these kinds.</summary>
    [Parameter(HelpMessage = "Only events of these kinds.")]
    public ClocksourceEventKind[] Kind { get; set; } = [];

    /// <summary>Only events that name one of these clocksources (as clocksource, watchdog or current).</summary>
    [Parameter(HelpMessage = "Only events that name one of these clocksources.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClocksourceCompleter))]
    public string[] Clocksource { get; set; } = [];

    /// <summary>One summary per machine instead of the events.</summary>
    [Parameter(HelpMessage = "One summary per machine: counts by kind and the last unstable event.")]
    public SwitchParameter Summary { get; set; }

    protected override void BeginProcessing()
    {
        query = BuildQuery([]);
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        // Files may come one per pipeline record (Get-ChildItem | ...): read them all in one pass per target.
        if (ParameterSetName == PathSet)
        {
            pipedPaths.AddRange(Path);
            return;
        }

        base.ProcessRecord();
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == PathSet)
        {
            query = BuildQuery(pipedPaths);
            localPaths = ResolveLocalPaths(pipedPaths);
            base.ProcessRecord();
        }

        base.EndProcessing();
    }

    private ClocksourceEventQuery BuildQuery(IReadOnlyList<string> paths) => new()
    {
        Source = Source,
        Boot = Boot,
        Paths = paths,
        SinceUtc = Since?.ToUniversalTime(),
        UntilUtc = Until?.ToUniversalTime(),
        Kinds = Kind,
        Clocksources = Clocksource,
        BootTimeUtc = BootTime?.ToUniversalTime(),
    };

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var events = Report(await ClocksourceEventRead.ReadAsync(target, query, localPaths, cancellationToken).ConfigureAwait(false));
        return Summary ? ClocksourceEventSummarizer.Summarize(target.ComputerName, events).ToList<object>() : events.ToList<object>();
    }

    /// <summary>One error per unreadable path (the path is its target object) and a warning per skipped line; the events go on.</summary>
    private IReadOnlyList<ClocksourceEvent> Report(KernelLogReadResult result)
    {
        foreach (var (path, error) in result.Errors)
        {
            WriteErrorFromWorker(error, path);
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarningFromWorker(warning);
        }

        return result.Events;
    }
}
