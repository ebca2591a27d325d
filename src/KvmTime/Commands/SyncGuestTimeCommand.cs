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
    [Parameter(ParameterSetName = InGuestSet, HelpMessage = "In-guest: Auto, Chrony, Ntpd, Timesyncd or W32Time.")]
    public GuestSyncMethod Method { get; set; } = GuestSyncMethod.Auto;

    /// <summary>A sync whose offset afterwards is larger than this fails (result and error).</summary>
    [Parameter(HelpMessage = "Fail when the offset after the sync is larger than this.")]
    public TimeSpan? MaxOffset { get; set; }

    protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        switch (ParameterSetName)
        {
            case DomainSet:
                return await SyncEachAsync(Domain!, name => new VirshGuestClock(target, LibvirtUri, name), cancellationToken).ConfigureAwait(false);
            case AllSet:
                var running = await VirshGuestClock.ListRunningAsync(target, LibvirtUri, cancellationToken).ConfigureAwait(false);
                return await SyncEachAsync(running, name => new VirshGuestClock(target, LibvirtUri, name), cancellationToken).ConfigureAwait(false);
            case AgentSocketSet:
                if (target is not LocalTarget)
                {
                    throw new KvmTimeException("AgentSocketNeedsLocalHost", FailureKind.InvalidArgument,
                        $"{target.ComputerName}: -AgentSocket opens the socket on this machine, so it cannot be combined with a remote -ComputerName or -Session. Run Sync-GuestTime on the QEMU host, or use -Domain when the guest runs under libvirt.")
                    { ComputerName = target.ComputerName };
                }

                return await SyncEachAsync(AgentSocket!, path => new AgentSocketGuestClock(target.ComputerName, path, AgentTimeout), cancellationToken).ConfigureAwait(false);
            default:
                if (Method is GuestSyncMethod.Auto or GuestSyncMethod.W32Time && await WindowsTargets.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
                {
                    return await ConfirmAndApplyAsync(await W32TimeSync.PlanAsync(target, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }

                if (Method == GuestSyncMethod.W32Time)
                {
                    throw new KvmTimeException("W32TimeNeedsWindows", FailureKind.InvalidArgument,
                        $"{target.ComputerName} is not a Windows machine: -Method W32Time needs a Windows guest (through -Session with a PSSession). Use Auto, Chrony, Ntpd or Timesyncd for Linux.")
                    { ComputerName = target.ComputerName };
                }

                var gathered = await target.GatherAsync(GuestTimeSyncReader.Request(), cancellationToken).ConfigureAwait(false);
                return await ConfirmAndApplyAsync(GuestTimeSyncPlanner.Plan(target, gathered, Method), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The guests of one host, at most -ThrottleLimit at once (over SSH the connection bounds its
    /// channels too); a guest that cannot be synced becomes its own error, the others go on.
    /// </summary>
    private async Task<IReadOnlyList<object>> SyncEachAsync(IReadOnlyList<string> names, Func<string, IGuestClock> clockFor, CancellationToken cancellationToken)
    {
        using var throttle = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        var done = await Task.WhenAll(names.Select(async name =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var plan = await HostTimeSync.PlanAsync(clockFor(name), cancellationToken).ConfigureAwait(false);
                return await ConfirmAndApplyAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever one guest's agent answers stays that guest's error (UnexpectedFailure
                // when it is not a KvmTimeException); the other guests' results still come out.
                WriteErrorFromWorker(e, e is KvmTimeException { ComputerName: { } where } ? where : name);
                return [];
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);
        return done.SelectMany(results => results).ToList();
    }

    /// <summary>Measured first; ShouldProcess (on the pipeline thread) shows the exact action and the offset; then applied and judged.</summary>
    private async Task<IReadOnlyList<object>> ConfirmAndApplyAsync(TimeSyncPlan plan, CancellationToken cancellationToken)
    {
        var now = plan.OffsetBefore is { } offset ? $" (offset now {TimeSyncVerdict.Format(offset)})" : string.Empty;
        if (!await ShouldProcessFromWorker(plan.Target, plan.Action + now).ConfigureAwait(false))
        {
            return [];
        }

        var result = TimeSyncVerdict.Judge(await plan.ApplyAsync(cancellationToken).ConfigureAwait(false), MaxOffset);
        if (!result.Succeeded && MaxOffset is not null)
        {
            WriteErrorFromWorker(new KvmTimeException("OffsetAboveMaximum", FailureKind.InvalidResult, result.Message) { ComputerName = plan.Target }, plan.Target);
        }

        return [result];
    }
}
