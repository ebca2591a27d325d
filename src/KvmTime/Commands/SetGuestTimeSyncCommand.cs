using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Configures a Linux guest's time daemon the way VMs need it: chrony's makestep 1 -1 and rtcsync
/// (-Preset Vm), the KVM host's clock through ptp_kvm (-PtpKvm), and the NTP sources (-Server, -Pool);
/// restarts the daemon and rolls back when it selects no source within -Timeout.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GuestTimeSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GuestTimeSyncChange))]
public sealed partial class SetGuestTimeSyncCommand : ChangeCmdlet
{
    /// <summary>Vm: makestep 1 -1 and rtcsync for chronyd, tinker panic 0 for ntpd.</summary>
    [Parameter(HelpMessage = "Vm: chrony's makestep 1 -1 and rtcsync (ntpd: tinker panic 0).")]
    [ValidateSet("Vm")]
    public string? Preset { get; set; }

    /// <summary>Reads the KVM host's clock through ptp_kvm as chrony's PHC reference clock.</summary>
    [Parameter(HelpMessage = "Load ptp_kvm now and at boot and add the KVM clock as chrony's PHC refclock.")]
    public SwitchParameter PtpKvm { get; set; }

    /// <summary>NTP servers that replace the configured sources.</summary>
    [Parameter(HelpMessage = "NTP servers (names or addresses) that replace the configured sources.")]
    [ValidateNotNullOrEmpty]
    public string[] Server { get; set; } = [];

    /// <summary>NTP pools that replace the configured sources.</summary>
    [Parameter(HelpMessage = "NTP pool names that replace the configured sources.")]
    [ValidateNotNullOrEmpty]
    public string[] Pool { get; set; } = [];

    /// <summary>Seconds the daemon gets to select a source after the change before it is rolled back.</summary>
    [Parameter(HelpMessage = "Seconds the daemon gets to select a source before the change is rolled back (default 45).")]
    [ValidateRange(5, 3600)]
    public int Timeout { get; set; } = 45;

    /// <summary>Windows guests: w32time's poll interval for the peers (SpecialPollInterval), in seconds.</summary>
    [Parameter(HelpMessage = "Windows guests: seconds between polls of the peers (w32time SpecialPollInterval).")]
    [ValidateRange(16, 86400)]
    public int PollInterval { get; set; }

    /// <summary>Allows mixing leap-smearing and unsmeared sources.</summary>
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

    private protected override IChangeOperation CreateOperation()
    {
        foreach (var name in Server.Concat(Pool).Where(n => !SourceName().IsMatch(n)))
        {
            throw new KvmTimeException(ErrorIds.InvalidTimeSourceName, FailureKind.InvalidArgument,
                string.Create(CultureInfo.InvariantCulture, $"'{name}' is not a host name or an IP address, so it cannot become a chrony source line. Nothing was changed."));
        }

        var request = new TimeSyncConfigRequest
        {
            Preset = Preset is null ? GuestTimeSyncPreset.None : GuestTimeSyncPreset.Vm,
            PtpKvm = PtpKvm,
            Servers = Server,
            Pools = Pool,
            Force = Force,
            PollInterval = MyInvocation.BoundParameters.ContainsKey(nameof(PollInterval)) ? TimeSpan.FromSeconds(PollInterval) : null,
            Timeout = TimeSpan.FromSeconds(Timeout),
        };
        if (request.IsEmpty)
        {
            throw new KvmTimeException(ErrorIds.NothingToConfigure, FailureKind.InvalidArgument,
                "Give -Preset Vm, -PtpKvm, -Server or -Pool: Set-GuestTimeSync changes nothing without one of them.");
        }

        return new TimeSyncConfigOperation(request, DateTime.UtcNow);
    }

    // Host names and IPv4/IPv6 addresses: letters, digits, '.', '-', ':' (and '%' for a zone), at most 253 characters.
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.:%-]{0,252})$")]
    private static partial Regex SourceName();
}
