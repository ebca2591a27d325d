using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Sync;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Keeps a KVM host's guest clocks right without a human: steps a guest through its agent when a
/// libvirt event says its clock went wrong (resumed, restored, snapshot reverted, migrated in,
/// started, agent connected), and every -Interval steps any guest beyond -MaxDrift. Writes one
/// TimeSyncResult per correction, with the event that caused it, until Ctrl-C or -Duration.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "GuestTime", SupportsShouldProcess = true)]
[OutputType(typeof(TimeSyncResult))]
public sealed class WatchGuestTimeCommand : ConfirmAndApplyCmdlet
{
    [Parameter(HelpMessage = "Watch only these libvirt domains; default: every domain on the KVM host.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DomainNameCompleter))]
    public string[]? Domain { get; set; }

    [Parameter(HelpMessage = "The libvirt connection URI on the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string LibvirtUri { get; set; } = LibvirtNames.DefaultUri;

    [Parameter(HelpMessage = "How often every watched guest's offset is read (and stepped beyond -MaxDrift); default 1 minute.")]
    public TimeSpan Interval { get; set; } = new WatchSettings().Interval;

    [Parameter(HelpMessage = "The poll steps guests further off than this; a step must also end within it. Default 0.5 s.")]
    public TimeSpan MaxDrift { get; set; } = new WatchSettings().MaxDrift;

    [Parameter(HelpMessage = "A guest ahead of the host by more than this is reported (BackwardStepRefused), not stepped back. Default 1 s.")]
    public TimeSpan MaxBackwardStep { get; set; } = new WatchSettings().MaxBackwardStep;

    [Parameter(HelpMessage = "Step guests back however far ahead they are.")]
    public SwitchParameter AllowBackward { get; set; }

    [Parameter(HelpMessage = "Stop watching after this long; default: until Ctrl-C.")]
    public TimeSpan? Duration { get; set; }

    [Parameter(HelpMessage = "Copy the host's time even when the host's own time daemon says it is not synchronized.")]
    public SwitchParameter Force { get; set; }

    private protected override bool EmitResults => true;

    private WatchSettings Settings => new WatchSettings { Interval = Interval, MaxDrift = MaxDrift, MaxBackwardStep = MaxBackwardStep, AllowBackward = AllowBackward, Duration = Duration }.Validated();

    private protected override IChangeOperation CreateOperation() =>
        new HostTimeSyncOperation(HostSyncScope.Domains, Domain ?? [], LibvirtUri, ThrottleLimit, Settings.MaxDrift, Force);

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var sink = new WatchSink((plan, ct) => ConfirmAndApplyAsync(target, plan, ct), WriteObjectFromWorker, WriteErrorFromWorker);
        // Each event poll ends before -CommandTimeout would cut it off.
        using var watch = new GuestTimeWatch(target, LibvirtUri, Domain, Settings, Force, Math.Clamp(CommandTimeout - 5, 1, 30), ThrottleLimit, sink);
        await watch.RunForDurationAsync(cancellationToken).ConfigureAwait(false);
        return [];
    }
}
