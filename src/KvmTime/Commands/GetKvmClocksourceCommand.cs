using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Reports the clocksource a machine uses, the ones it offers, and the kernel arguments that pin it.</summary>
[Cmdlet(VerbsCommon.Get, "KvmClocksource")]
[OutputType(typeof(ClocksourceInfo))]
public sealed class GetKvmClocksourceCommand : TargetCmdlet
{
    protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        if (await WindowsTargets.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            return [await WindowsTargets.ClocksourceAsync(target, cancellationToken).ConfigureAwait(false)];
        }

        var gathered = await target.GatherAsync(ClocksourceReader.Request(), cancellationToken).ConfigureAwait(false);
        return [ClocksourceReader.Parse(gathered, target.ComputerName)];
    }
}
