using System.Collections;
using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// Redefines libvirt domains' clocks with a preset or individual timer settings: backs up the old
/// XML, defines the new one with virsh, re-reads it, and says whether the guest must restart.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KvmDomainClock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(KvmDomainClockChange))]
public sealed class SetKvmDomainClockCommand : DomainClockCmdlet
{
    private DomainClockChange? change;

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

    /// <summary>Write a result per domain, also when nothing had to change.</summary>
    [Parameter(HelpMessage = "Write a result per domain, also when nothing had to change.")]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Terminating(() =>
        {
            DomainClockScripts.BackupDirectory(BackupPath);
            change = DomainClockChange.Create(Preset, Offset, Timer.Select(DomainClockRules.TimerFrom).ToList(), RemoveTimer);
        });
    }

    protected override Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken) =>
        ForEachDomainAsync(target, forDefine: true, async definition =>
        {
            var result = await ChangeOneAsync(target, definition, cancellationToken).ConfigureAwait(false);
            return PassThru ? result : null;
        }, cancellationToken);

    private async Task<KvmDomainClockChange?> ChangeOneAsync(ITarget target, DomainDefinition definition, CancellationToken cancellationToken)
    {
        var plan = DomainClockPlanner.Plan(definition.Domain, definition.Xml, definition.State, change!);
        if (!plan.IsChange)
        {
            WriteVerboseFromWorker($"{target.ComputerName}/{definition.Domain}: the clock already is as asked; nothing to do.");
            return DomainClockEditor.Result(target.ComputerName, plan, DomainClockReader.Clock(definition, LibvirtUri, target.ComputerName), null);
        }

        var notes = string.Concat(plan.Notes.Select(n => $"Note: {n}\n"));
        var action = $"Redefine the clock ({string.Join("; ", plan.Changes)}){(plan.RestartRequired ? ", effective after the guest is shut down and started" : string.Empty)}:\n{notes}{plan.Diff}";
        if (!await ShouldProcessFromWorker($"domain {definition.Domain} on {target.ComputerName} ({LibvirtUri})", action).ConfigureAwait(false))
        {
            return null;
        }

        foreach (var note in plan.Notes)
        {
            WriteVerboseFromWorker($"{target.ComputerName}/{definition.Domain}: {note}");
        }

        var result = await DomainClockEditor.ApplyAsync(target, LibvirtUri, plan, change!, BackupPath, DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
        if (result.RestartRequired)
        {
            WriteWarningFromWorker($"{target.ComputerName}/{definition.Domain} is {definition.State}: it keeps its old clock until it is shut down and started again (a reboot from inside the guest is not enough).");
        }

        return result;
    }
}
