using System.Management.Automation;
using KvmTime.Metrics;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using Microsoft.PowerShell.Commands;

namespace KvmTime.Commands;

/// <summary>Writes Test-KvmTimeHealth's reports as Prometheus metrics to a .prom file for node_exporter's textfile collector, replacing it whole.</summary>
[Cmdlet(VerbsData.Export, "KvmTimeMetric", SupportsShouldProcess = true)]
[OutputType(typeof(KvmTimeHealth))]
public sealed class ExportKvmTimeMetricCommand : PSCmdlet
{
    private readonly HealthReportSet reports = new();
    private string? file;

    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The health reports to write, from Test-KvmTimeHealth.")]
    [RehydrateModel(typeof(KvmTimeHealth))]
    public KvmTimeHealth[]? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The .prom file to write, in node_exporter's textfile directory.")]
    public string Path { get; set; } = string.Empty;

    [Parameter(HelpMessage = "Also pass the reports on down the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        // Checked before the first report arrives: a wrong path fails at once and writes nothing.
        try
        {
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
            file = provider.ImplementingType == typeof(FileSystemProvider) ? MetricFile.Validate(full)
                : throw new KvmTimeException(ErrorIds.MetricPathNotFileSystem, FailureKind.InvalidArgument, $"'{Path}' is on the {provider.Name} drive; -Path must be a file.");
        }
        catch (SessionStateException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(new KvmTimeException(ErrorIds.MetricPathNotFileSystem, FailureKind.InvalidArgument, e.Message, e), Path));
        }
        catch (KvmTimeException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, Path));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var report in (InputObject ?? []).Where(r => r is not null))
        {
            switch (reports.Add(report))
            {
                case HealthReportAdded.NoComputerName:
                    WriteError(new ErrorRecord(new ArgumentException("A health report without a ComputerName cannot be written: its series would have no computer label."),
                        ErrorIds.InvalidComputerName, ErrorCategory.InvalidData, report));
                    break;
                case HealthReportAdded.Replaced:
                    WriteWarning($"{report.ComputerName}: a second report; the later one is written (one series per computer).");
                    break;
            }

            if (PassThru)
            {
                WriteObject(report);
            }
        }
    }

    protected override void EndProcessing()
    {
        var text = HealthMetrics.ToText(reports);
        var series = text.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
        var action = $"Write {series} series for {reports.Count} computer{(reports.Count == 1 ? string.Empty : "s")}";
        var line = $"Performing the operation \"{action}\" on target \"{file}\".";
        if (!ShouldProcess($"{line}\n{text.TrimEnd('\n')}", $"Are you sure you want to perform this action?\n{line}", "Confirm"))
        {
            return;
        }

        try
        {
            MetricFile.Write(file!, text);
            WriteVerbose($"{file}: replaced whole: {action}.");
        }
        catch (KvmTimeException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, file!));
        }
    }
}
