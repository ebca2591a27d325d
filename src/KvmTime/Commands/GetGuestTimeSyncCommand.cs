using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>Reports a guest's time service: daemon, source, stratum, offset, frequency, leap status, and advice for VMs.</summary>
[Cmdlet(VerbsCommon.Get, "GuestTimeSync")]
[OutputType(typeof(GuestTimeSyncStatus))]
public sealed class GetGuestTimeSyncCommand : TargetCmdlet
{
    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        if (await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var text = await WindowsShell.InvokeAsync(target, W32TimeSyncStatus.Script, null, cancellationToken).ConfigureAwait(false);
            var status = W32TimeStatusParser.Parse(text, target.ComputerName);
            var (settings, configurationError) = await W32TimeConfigurationQuery.ReadAsync(target, cancellationToken).ConfigureAwait(false);
            return [W32TimeSyncStatus.ToStatus(status, target.ComputerName, settings, configurationError)];
        }

        var gathered = await target.GatherAsync(GuestTimeSyncReader.Request(), cancellationToken).ConfigureAwait(false);
        return [GuestTimeSyncReader.Parse(gathered, target.ComputerName)];
    }
}
