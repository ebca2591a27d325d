using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Sync;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Steps a guest clock to the right time and proves it: from the KVM host through the guest agent
/// (-Domain, -All, -AgentSocket), or inside the guest through its time daemon (-Method).
/// Every sync is measured first, confirmed with ShouldProcess, applied, and measured again.
/// </summary>
[Cmdlet(VerbsData.Sync, "GuestTime", SupportsShouldProcess = true, DefaultParameterSetName = InGuestSet)]
[OutputType(typeof(TimeSyncResult))]
public sealed class SyncGuestTimeCommand : TargetCmdlet
{
    private const string InGuestSet = "InGuest";
    private const string DomainSet = "Domain";
    private const string AllSet = "All";
    private const string AgentSocketSet = "AgentSocket";
    private static readonly TimeSpan AgentTimeout = TimeSpan.FromSeconds(5);
    private ConfirmedWork? applying;

    /// <summary>The libvirt domains to sync from the host.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DomainSet, HelpMessage = "The libvirt domains to sync from the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string[]? Domain { get; set; }

    /// <summary>Sync every running domain on the host, concurrently.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet, HelpMessage = "Sync every running domain on the KVM host.")]
    public SwitchParameter All { get; set; }

    /// <summary>The libvirt connection URI on the host.</summary>
    [Parameter(ParameterSetName = DomainSet, HelpMessage = "The libvirt connection URI on the KVM host.")]
    [Parameter(ParameterSetName = AllSet, HelpMessage = "The libvirt connection URI on the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string LibvirtUri { get; set; } = LibvirtNames.DefaultUri;

    /// <summary>Guest agent unix sockets of plain QEMU guests on this machine.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AgentSocketSet, HelpMessage = "Guest agent unix sockets (-chardev socket) of plain QEMU guests on this machine.")]
    [ValidateNotNullOrEmpty]
    public string[]? AgentSocket { get; set; }

    /// <summary>In-guest: the daemon that steps the clock.</summary>
    [Parameter(ParameterSetName = InGuestSet, HelpMessage = "In-guest: Auto, Chrony, Ntpd or Timesyncd.")]
    public GuestSyncMethod Method { get; set; } = GuestSyncMethod.Auto;

    /// <summary>A sync whose offset afterwards is larger than this fails (result and error).</summary>
    [Parameter(HelpMessage = "Fail when the offset after the sync is larger than this.")]
    public TimeSpan? MaxOffset { get; set; }

    protected override void ProcessRecord()
    {
        base.ProcessRecord();
        WriteApplied(applying?.TakeReady() ?? []);
    }

    protected override void EndProcessing()
    {
        base.EndProcessing();
        if (applying is not null)
        {
            WriteApplied(applying.TakeAll());
            applying.Dispose();
            applying = null;
        }
    }

    protected override void StopProcessing()
    {
        applying?.Stop();
        base.StopProcessing();
    }

    protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        switch (ParameterSetName)
        {
            case DomainSet:
                return await PlanEachAsync(Domain!, name => new VirshGuestClock(target, LibvirtUri, name), cancellationToken).ConfigureAwait(false);
            case AllSet:
                var running = await VirshGuestClock.ListRunningAsync(target, LibvirtUri, cancellationToken).ConfigureAwait(false);
                return await PlanEachAsync(running, name => new VirshGuestClock(target, LibvirtUri, name), cancellationToken).ConfigureAwait(false);
            case AgentSocketSet:
                if (target is not LocalTarget)
                {
                    throw new KvmTimeException("AgentSocketNeedsLocalHost", FailureKind.InvalidArgument,
                        $"{target.ComputerName}: -AgentSocket opens the socket on this machine, so it cannot be combined with a remote -ComputerName. Run Sync-GuestTime on the QEMU host, or use -Domain when the guest runs under libvirt.")
                    { ComputerName = target.ComputerName };
                }

                return await PlanEachAsync(AgentSocket!, path => new AgentSocketGuestClock(target.ComputerName, path, AgentTimeout), cancellationToken).ConfigureAwait(false);
            default:
                var gathered = await target.GatherAsync(GuestTimeSyncReader.Request(), cancellationToken).ConfigureAwait(false);
                return [GuestTimeSyncPlanner.Plan(target, gathered, Method)];
        }
    }

    /// <summary>Ask ShouldProcess for each plan on the pipeline thread, then apply it concurrently.</summary>
    protected override void WriteTargetResult(object item, string targetName)
    {
        if (item is not TimeSyncPlan plan)
        {
            WriteOne(item, targetName);
            return;
        }

        var now = plan.OffsetBefore is { } offset ? $" (offset now {TimeSyncVerdict.Format(offset)})" : string.Empty;
        if (!ShouldProcess(plan.Target, plan.Action + now))
        {
            return;
        }

        applying ??= new ConfirmedWork(ThrottleLimit);
        applying.Start(plan.Target, ct => ApplyAsync(plan, ct));
    }

    private async Task<IReadOnlyList<object>> ApplyAsync(TimeSyncPlan plan, CancellationToken cancellationToken)
    {
        var result = TimeSyncVerdict.Judge(await plan.ApplyAsync(cancellationToken).ConfigureAwait(false), MaxOffset);
        if (result.Succeeded || MaxOffset is null)
        {
            return [result];
        }

        return [result, new KvmTimeException("OffsetAboveMaximum", FailureKind.InvalidResult, result.Message) { ComputerName = plan.Target }];
    }

    /// <summary>Plans every guest concurrently; a guest that cannot be synced becomes its own error, the others go on.</summary>
    private static async Task<IReadOnlyList<object>> PlanEachAsync(IReadOnlyList<string> names, Func<string, IGuestClock> clockFor, CancellationToken cancellationToken)
    {
        var plans = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                return (object)await HostTimeSync.PlanAsync(clockFor(name), cancellationToken).ConfigureAwait(false);
            }
            catch (KvmTimeException e)
            {
                return e;
            }
        })).ConfigureAwait(false);
        return plans;
    }

    private void WriteApplied(IEnumerable<FanOutOutcome<IReadOnlyList<object>>> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is OperationCanceledException && applying?.IsStopping == true)
            {
                continue;
            }

            if (outcome.Error is not null)
            {
                WriteError(ErrorMapping.ToErrorRecord(outcome.Error, outcome.TargetName));
                continue;
            }

            foreach (var item in outcome.Result!)
            {
                WriteOne(item, outcome.TargetName);
            }
        }
    }

    private void WriteOne(object item, string targetName)
    {
        if (item is Exception failure)
        {
            WriteError(ErrorMapping.ToErrorRecord(failure, targetName));
        }
        else
        {
            WriteObject(item);
        }
    }
}
