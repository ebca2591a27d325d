using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Operations;

namespace KvmTime.Commands;

/// <summary>
/// Steps a guest clock to the right time and proves it: from the KVM host through the guest agent
/// (-Domain, -All, -AgentSocket), or inside the guest through its time daemon (-Method).
/// Every sync is measured first, confirmed with ShouldProcess, applied, and measured again; its
/// result is its report, so it is always written (as -PassThru does for the other change cmdlets).
/// </summary>
[Cmdlet(VerbsData.Sync, "GuestTime", SupportsShouldProcess = true, DefaultParameterSetName = InGuestSet)]
[OutputType(typeof(TimeSyncResult))]
public sealed class SyncGuestTimeCommand : ConfirmAndApplyCmdlet
{
    private const string InGuestSet = "InGuest";
    private const string DomainSet = "Domain";
    private const string AllSet = "All";
    private const string AgentSocketSet = "AgentSocket";

    [Parameter(Mandatory = true, ParameterSetName = DomainSet, HelpMessage = "The libvirt domains to sync from the KVM host.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DomainNameCompleter))]
    public string[]? Domain { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllSet, HelpMessage = "Sync every running domain on the KVM host.")]
    public SwitchParameter All { get; set; }

    [Parameter(ParameterSetName = DomainSet, HelpMessage = "The libvirt connection URI on the KVM host.")]
    [Parameter(ParameterSetName = AllSet, HelpMessage = "The libvirt connection URI on the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string LibvirtUri { get; set; } = LibvirtNames.DefaultUri;

    [Parameter(Mandatory = true, ParameterSetName = AgentSocketSet, HelpMessage = "Guest agent unix sockets (-chardev socket) of plain QEMU guests on this machine.")]
    [ValidateNotNullOrEmpty]
    public string[]? AgentSocket { get; set; }

    [Parameter(ParameterSetName = InGuestSet, HelpMessage = "In-guest: Auto, Chrony, Ntpd, Timesyncd or W32Time.")]
    public GuestSyncMethod Method { get; set; } = GuestSyncMethod.Auto;

    [Parameter(HelpMessage = "Fail when the offset after the sync is larger than this.")]
    public TimeSpan? MaxOffset { get; set; }

    [Parameter(ParameterSetName = DomainSet, HelpMessage = "Copy the host's time even when the host's own time daemon says it is not synchronized.")]
    [Parameter(ParameterSetName = AllSet, HelpMessage = "Copy the host's time even when the host's own time daemon says it is not synchronized.")]
    [Parameter(ParameterSetName = AgentSocketSet, HelpMessage = "Copy the host's time even when the host's own time daemon says it is not synchronized.")]
    public SwitchParameter Force { get; set; }

    private protected override bool EmitResults => true;

    private protected override IChangeOperation CreateOperation() => ParameterSetName switch
    {
        DomainSet => new HostTimeSyncOperation(HostSyncScope.Domains, Domain!, LibvirtUri, ThrottleLimit, MaxOffset, Force),
        AllSet => new HostTimeSyncOperation(HostSyncScope.AllRunning, [], LibvirtUri, ThrottleLimit, MaxOffset, Force),
        AgentSocketSet => new HostTimeSyncOperation(HostSyncScope.AgentSockets, AgentSocket!, LibvirtUri, ThrottleLimit, MaxOffset, Force),
        _ => new GuestTimeSyncOperation(Method, MaxOffset),
    };
}
