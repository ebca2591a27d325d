using KvmTime.Linux.KernelLog;
using KvmTime.Model;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Reads one machine's clocksource events: the Windows event log of a Windows guest, saved log files
/// on this machine, or the kernel log of a Linux target in one round trip.
/// </summary>
internal static class ClocksourceEventRead
{
    /// <param name="localPaths">Files on this machine to read instead of the target's logs; null for the target's own.</param>
    public static async Task<KernelLogReadResult> ReadAsync(ITarget target, ClocksourceEventQuery query, IReadOnlyList<string>? localPaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (localPaths is null && await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var json = await WindowsShell.InvokeAsync(target, WindowsTimeEvents.Script, new Dictionary<string, object?> { ["MaxEvents"] = 1000 }, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ClocksourceEvent> events = WindowsClocksourceEvents.Convert(WindowsTimeEvents.Parse(json, target.ComputerName), target.ComputerName, query);
            return new KernelLogReadResult(events, [], []);
        }

        if (localPaths is not null && target is LocalTarget)
        {
            // Saved logs come from other boots or machines: this machine's boot time is never theirs.
            var clock = KernelLogClock.Local(query.BootTimeUtc);
            return await Task.Run(() => ClocksourceEventReader.ReadLocalFiles(localPaths, query, target.ComputerName, clock, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var nonce = LinuxGatherScript.NewNonce();
        var gathered = await target.GatherAsync(ClocksourceEventReader.Request(query, nonce), cancellationToken).ConfigureAwait(false);
        return ClocksourceEventReader.Parse(gathered, nonce, query, target.ComputerName, target is LocalTarget ? TimeZoneInfo.Local : null);
    }
}
