using System.Globalization;
using System.Management.Automation;
using KvmTime.Metrics;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Resources;
using KvmTime.Targets;

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
            file = MetricFile.Validate(FileSystemPath.Resolve(SessionState, Path));
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
            var added = reports.Add(report);
            if (added == HealthReportAdded.NoComputerName)
            {
                WriteError(new ErrorRecord(new ArgumentException(Messages.HealthReportWithoutComputerName), ErrorIds.InvalidComputerName, ErrorCategory.InvalidData, report));
            }
            else if (added == HealthReportAdded.Replaced)
            {
                WriteWarning(string.Format(CultureInfo.InvariantCulture, Messages.HealthReportReplaced, report.ComputerName));
            }

            if (PassThru) { WriteObject(report); }
        }
    }

    protected override void EndProcessing()
    {
        var text = HealthMetrics.ToText(reports);
        var (description, warning) = ChangePrompt.For(HealthMetrics.WriteAction(text, reports.Count), file!, text.TrimEnd('\n'));
        try
        {
            if (ShouldProcess(description, warning, ChangePrompt.Caption))
            {
                MetricFile.Write(file!, text);
            }
        }
        catch (KvmTimeException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, file!));
        }
    }
}
