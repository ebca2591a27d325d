using System.Management.Automation;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;
using KvmTime.Operations;

namespace KvmTime.Commands;

/// <summary>
/// Configures a Linux guest's time daemon the way VMs need it: chrony's makestep 1 -1 and rtcsync
/// (-Preset Vm), the KVM host's clock through ptp_kvm (-PtpKvm), and the NTP sources (-Server, -Pool);
/// restarts the daemon (starts and enables a stopped chronyd) and rolls back when it selects no source within -Timeout.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GuestTimeSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GuestTimeSyncChange))]
public sealed class SetGuestTimeSyncCommand : ChangeCmdlet
{
    [Parameter(HelpMessage = "Vm: chrony's makestep 1 -1 and rtcsync (ntpd: tinker panic 0).")]
    [ValidateSet("Vm")]
    public string? Preset { get; set; }

    [Parameter(HelpMessage = "Load ptp_kvm now and at boot and add the KVM clock as chrony's PHC refclock.")]
    public SwitchParameter PtpKvm { get; set; }

    [Parameter(HelpMessage = "NTP servers (names or addresses) that replace the configured sources.")]
    [ValidateNotNullOrEmpty]
    public string[] Server { get; set; } = [];

    [Parameter(HelpMessage = "NTP pool names that replace the configured sources.")]
    [ValidateNotNullOrEmpty]
    public string[] Pool { get; set; } = [];

    [Parameter(HelpMessage = "Seconds the daemon gets to select a source before the change is rolled back (default 45).")]
    [ValidateRange(5, 3600)]
    public int Timeout { get; set; } = 45;

    [Parameter(HelpMessage = "Windows guests: seconds between polls of the peers (w32time SpecialPollInterval).")]
    [ValidateRange(16, 86400)]
    public int PollInterval { get; set; }

    [Parameter(HelpMessage = "Configure leap-smearing and unsmeared sources together anyway.")]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        // The apply waits up to -Timeout on the target: leave the channel room for it.
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(CommandTimeout)))
        {
            CommandTimeout = Math.Max(CommandTimeout, Timeout + 60);
        }

        base.BeginProcessing();
    }

    private protected override IChangeOperation CreateOperation() => new TimeSyncConfigOperation(new TimeSyncConfigRequest
    {
        Preset = Preset is null ? GuestTimeSyncPreset.None : GuestTimeSyncPreset.Vm,
        PtpKvm = PtpKvm,
        Servers = Server,
        Pools = Pool,
        Force = Force,
        PollInterval = MyInvocation.BoundParameters.ContainsKey(nameof(PollInterval)) ? TimeSpan.FromSeconds(PollInterval) : null,
        Timeout = TimeSpan.FromSeconds(Timeout),
    }.Validated(), DateTime.UtcNow);
}
