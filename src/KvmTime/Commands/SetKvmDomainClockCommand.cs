using System.Collections;
using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Operations;

namespace KvmTime.Commands;

/// <summary>
/// Redefines libvirt domains' clocks with a preset or individual timer settings: backs up the old
/// XML, defines the new one with virsh, re-reads it, and says whether the guest must restart.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmDomainClock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmDomainClockChange))]
public sealed class SetKvmDomainClockCommand : ChangeCmdlet
{
    /// <summary>The libvirt domains to work on.</summary>
    [Parameter(Mandatory = true, HelpMessage = "The libvirt domains to work on.")]
    [ValidateNotNullOrEmpty]
    public string[] Domain { get; set; } = [];

    /// <summary>The libvirt connection URI on the KVM host.</summary>
    [Parameter(HelpMessage = "The libvirt connection URI on the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string LibvirtUri { get; set; } = LibvirtNames.DefaultUri;

    /// <summary>Linux or Windows: virt-manager's clock for that guest family.</summary>
    [Parameter(HelpMessage = "Linux or Windows: virt-manager's clock for that guest family.")]
    [ValidateSet("Linux", "Windows")]
    public string? Preset { get; set; }

    /// <summary>utc or localtime.</summary>
    [Parameter(HelpMessage = "The RTC offset: utc (Linux guests) or localtime (Windows guests).")]
    [ValidateNotNullOrEmpty]
    public string? Offset { get; set; }

    /// <summary>Timer settings, e.g. @{ Name = 'hpet'; Present = $false }, applied after -Preset.</summary>
    [Parameter(HelpMessage = "Timer settings: hashtables with Name and any of Present, TickPolicy, Track, Frequency, Mode.")]
    [ValidateNotNullOrEmpty]
    public Hashtable[] Timer { get; set; } = [];

    /// <summary>Timers to delete from &lt;clock&gt;, back to the hypervisor's default.</summary>
    [Parameter(HelpMessage = "Timers to delete from <clock>, so the hypervisor's default applies.")]
    [ValidateNotNullOrEmpty]
    public string[] RemoveTimer { get; set; } = [];

    /// <summary>The folder on the KVM host for the backup of the old XML and the staged new XML.</summary>
    [Parameter(HelpMessage = "The folder on the KVM host for the backup of the old XML and the staged new XML.")]
    [ValidateNotNullOrEmpty]
    public string BackupPath { get; set; } = DomainClockScripts.DefaultBackupPath;

    /// <summary>Bad names, timers or paths are the caller's mistake on every host alike, so they stop the command.</summary>
    private protected override IChangeOperation CreateOperation()
    {
        var domains = Domain.Select(LibvirtNames.Domain).ToList();
        var change = DomainClockChange.Create(Preset, Offset, Timer.Select(DomainClockRules.TimerFrom).ToList(), RemoveTimer);
        return new DomainClockOperation(LibvirtNames.Uri(LibvirtUri), domains, change, DomainClockScripts.BackupDirectory(BackupPath), () => DateTime.UtcNow);
    }
}
