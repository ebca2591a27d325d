using System.Management.Automation;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The base of every cmdlet that works on machines: it resolves targets, fans the work out
/// concurrently, and writes results and one error per failed target on the pipeline thread.
/// </summary>
public abstract class TargetCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private FanOut<IReadOnlyList<object>>? fanOut;

    /// <summary>The machines to work on. Omit it for the local machine.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, HelpMessage = "The machines to work on; omit for the local machine.")]
    [Alias("CN", "HostName")]
    [ValidateNotNullOrEmpty]
    public string[]? ComputerName { get; set; }

    /// <summary>How many targets are worked on at once.</summary>
    [Parameter(HelpMessage = "How many targets are worked on at once.")]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    public void Dispose()
    {
        fanOut?.Dispose();
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The cmdlet's work on one target: gather, understand, decide, apply, verify.</summary>
    protected abstract Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken);

    protected override void ProcessRecord()
    {
        fanOut ??= new FanOut<IReadOnlyList<object>>(ThrottleLimit);
        foreach (var target in TargetResolver.Resolve(ComputerName))
        {
            fanOut.Start(target.ComputerName, ct => InvokeOnTargetAsync(target, ct), stopping.Token);
        }

        Emit(fanOut.TakeReady());
    }

    protected override void EndProcessing()
    {
        if (fanOut is not null)
        {
            Emit(fanOut.TakeAll());
            if (fanOut.Started > 1)
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }

    protected override void StopProcessing() => stopping.Cancel();

    private const int ProgressActivityId = 0x4B54;

    private void Emit(IEnumerable<FanOutOutcome<IReadOnlyList<object>>> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is OperationCanceledException && stopping.IsCancellationRequested)
            {
                continue;
            }

            if (outcome.Error is not null)
            {
                WriteError(ErrorMapping.ToErrorRecord(outcome.Error, outcome.TargetName));
            }
            else
            {
                foreach (var item in outcome.Result!)
                {
                    WriteObject(item);
                }
            }

            ReportProgress(outcome.TargetName);
        }
    }

    private void ReportProgress(string lastTarget)
    {
        if (fanOut is null || fanOut.Started < 2)
        {
            return;
        }

        var percent = (int)(100L * fanOut.Completed / fanOut.Started);
        WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name,
            $"{fanOut.Completed} of {fanOut.Started} targets done (last: {lastTarget})") { PercentComplete = percent });
    }
}
