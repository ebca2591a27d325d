using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>
/// Switches a Linux guest's clocksource now (sysfs, checked against available_clocksource and read
/// back) and/or for every boot (clocksource=, tsc=reliable, no-kvmclock through the boot loader in use);
/// on a Windows guest, the platform clock (Rtc or Tsc, through BCD).
/// </summary>
[Cmdlet(VerbsCommon.Set, "GuestClocksource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SetParameterSet)]
[OutputType(typeof(ClocksourceChangeResult))]
[OutputType(typeof(WindowsBcdResult))]
public sealed class SetGuestClocksourceCommand : ChangeCmdlet
{
    private const string SetParameterSet = "Set";
    private const string RemoveParameterSet = "Remove";
    private const string ResetParameterSet = "Reset";

    /// <summary>The clocksource to use, e.g. kvm-clock, tsc, hpet, acpi_pm.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SetParameterSet, HelpMessage = "The clocksource to use, e.g. kvm-clock, tsc, hpet or acpi_pm.")]
    [ArgumentCompleter(typeof(ClocksourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Clocksource { get; set; } = string.Empty;

    /// <summary>Runtime (now, until reboot), Persistent (kernel arguments for every boot) or Both.</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Runtime (default), Persistent or Both.")]
    public ChangeScope Scope { get; set; } = ChangeScope.Runtime;

    /// <summary>Also set tsc=reliable (persistent only).</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Also set tsc=reliable in the kernel arguments.")]
    public SwitchParameter TscReliable { get; set; }

    /// <summary>Also set no-kvmclock (persistent only).</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Also set no-kvmclock in the kernel arguments.")]
    public SwitchParameter NoKvmClock { get; set; }

    /// <summary>Removes these boot arguments.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveParameterSet, HelpMessage = "The boot arguments to remove: Clocksource, TscReliable, NoKvmClock.")]
    public ClocksourceBootArgument[] Remove { get; set; } = [];

    /// <summary>Removes clocksource=, tsc=reliable and no-kvmclock, so the kernel chooses by rating again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResetParameterSet, HelpMessage = "Remove clocksource=, tsc=reliable and no-kvmclock from the kernel arguments.")]
    public SwitchParameter Reset { get; set; }

    /// <summary>Uses this boot loader instead of the one detected.</summary>
    [Parameter(HelpMessage = "Use this boot loader instead of the detected one.")]
    public BootLoaderKind BootLoader { get; set; }

    // On Windows only the platform clock choice exists: -Clocksource Rtc|Tsc; -Reset and -Remove mean Tsc (the default).
    private protected override IChangeOperation CreateOperation()
    {
        var bootLoader = MyInvocation.BoundParameters.ContainsKey(nameof(BootLoader)) ? BootLoader : (BootLoaderKind?)null;
        var request = ParameterSetName == SetParameterSet
            ? ClocksourceRequest.ForSet(Clocksource, Scope, TscReliable, NoKvmClock, bootLoader)
            : ClocksourceRequest.ForRemove(Reset ? Enum.GetValues<ClocksourceBootArgument>() : Remove, bootLoader);
        return new ClocksourceOperation(request, ParameterSetName == SetParameterSet ? Clocksource : "Tsc", DateTime.UtcNow);
    }
}
