using System.Management.Automation;
using KvmTime.Linux.CpuFrequency;
using KvmTime.Model;
using KvmTime.Operations;

namespace KvmTime.Commands;

/// <summary>
/// Sets the CPU frequency governor on every CPU of a Linux machine now (scaling_governor, checked
/// against scaling_available_governors and read back), and with -Persistent at every boot through the
/// distribution's own service (cpupower.service or cpufrequtils), which it enables.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CpuFrequencyPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CpuFrequencyChangeResult))]
public sealed class SetCpuFrequencyPolicyCommand : ChangeCmdlet
{
    /// <summary>The governor to set, e.g. performance, powersave, schedutil, ondemand.</summary>
    [Parameter(Mandatory = true, HelpMessage = "The governor to set, e.g. performance.")]
    [ValidatePattern("^[a-z0-9_-]{1,32}$")]
    public string Governor { get; set; } = string.Empty;

    /// <summary>Also set the governor at every boot through the distribution's service, and enable it.</summary>
    [Parameter(HelpMessage = "Also set it at every boot through cpupower.service or cpufrequtils, and enable that service.")]
    public SwitchParameter Persistent { get; set; }

    private protected override IChangeOperation CreateOperation() =>
        new GovernorOperation(new GovernorRequest { Governor = Governor, Persistent = Persistent }, DateTime.UtcNow);
}
