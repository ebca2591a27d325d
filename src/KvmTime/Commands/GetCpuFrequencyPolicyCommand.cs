using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Reports a machine's cpufreq driver, governor per CPU, limits, and whether a frequency change can move its TSC.</summary>
[Cmdlet(VerbsCommon.Get, "CpuFrequencyPolicy")]
[OutputType(typeof(CpuFrequencyPolicy))]
public sealed class GetCpuFrequencyPolicyCommand : TargetCmdlet
{
    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var gathered = await target.GatherAsync(CpuFrequencyReader.Request(), cancellationToken).ConfigureAwait(false);
        return [CpuFrequencyReader.Parse(gathered, target.ComputerName)];
    }
}
