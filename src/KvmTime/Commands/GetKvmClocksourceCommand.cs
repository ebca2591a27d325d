using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>Reports the clocksource a machine uses, the ones it offers, and the kernel arguments that pin it.</summary>
[Cmdlet(VerbsCommon.Get, "KvmClocksource")]
[OutputType(typeof(ClocksourceInfo))]
public sealed class GetKvmClocksourceCommand : TargetCmdlet
{
    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        if (await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            // The Windows-only part rides along in a Windows property (absent on Linux objects).
            var (info, windows) = WindowsClockParser.Clocksource(await WindowsShell.FactsAsync(target, cancellationToken).ConfigureAwait(false), target.ComputerName);
            var wrapped = PSObject.AsPSObject(info);
            wrapped.Properties.Add(new PSNoteProperty("Windows", windows));
            return [wrapped];
        }

        var gathered = await target.GatherAsync(ClocksourceReader.Request(), cancellationToken).ConfigureAwait(false);
        return [ClocksourceReader.Parse(gathered, target.ComputerName)];
    }
}
