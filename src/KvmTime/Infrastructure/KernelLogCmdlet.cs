using System.Management.Automation;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The base of cmdlets that read a kernel log: its parameter group says where the log comes from,
/// the machine's own (-Source, -Boot) or files on this machine (-Path, -BootTime). Files may come one
/// per pipeline record (Get-ChildItem | ...), so they are collected and read in one pass per target.
/// </summary>
public abstract class KernelLogCmdlet : TargetCmdlet
{
    private protected const string SourceSet = "Source";
    private protected const string PathSet = "Path";
    private readonly List<string> pipedPaths = [];

    [Parameter(ParameterSetName = SourceSet, HelpMessage = "Auto, Journal, Dmesg or Syslog.")]
    public KernelLogSource Source { get; set; } = KernelLogSource.Auto;

    [Parameter(ParameterSetName = SourceSet, HelpMessage = "Journal boot offset: 0 current, -1 previous, ...")]
    [ValidateRange(-10000, 0)]
    public int? Boot { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true, HelpMessage = "Kernel log files to read, plain or .gz.")]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = PathSet, HelpMessage = "Boot time for boot-relative stamps in the files.")]
    public DateTime? BootTime { get; set; }

    /// <summary>Every -Path given so far (empty for the machine's own log).</summary>
    private protected IReadOnlyList<string> LogPaths => pipedPaths;

    /// <summary>-Path resolved on this machine; null for the machine's own log.</summary>
    private protected IReadOnlyList<string>? LocalLogPaths { get; private set; }

    protected override void ProcessRecord()
    {
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
            LocalLogPaths = ResolveLocalPaths(pipedPaths);
            base.ProcessRecord();
        }

        base.EndProcessing();
    }

    /// <summary>Writes one error per unreadable path (the path is its target object) and a warning per skipped line; the events go on.</summary>
    private protected IReadOnlyList<ClocksourceEvent> Report(KernelLogReadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
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
