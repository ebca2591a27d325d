using System.Globalization;
using KvmTime.Linux.KernelLog;
using KvmTime.Model;

namespace KvmTime.Windows;

/// <summary>Windows System-log time events as the ClocksourceEvent objects Linux kernel logs give.</summary>
internal static class WindowsClocksourceEvents
{
    public static IReadOnlyList<ClocksourceEvent> Convert(IEnumerable<WindowsTimeEvent> events, string computerName, ClocksourceEventQuery query)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(query);
        return events.Select(e => ToEvent(e, computerName)).Where(query.Matches).OrderBy(e => e.TimeCreated).ToList();
    }

    private static ClocksourceEvent ToEvent(WindowsTimeEvent e, string computerName) => new()
    {
        ComputerName = computerName,
        TimeCreated = e.TimeCreated,
        Kind = e.Kind switch
        {
            WindowsTimeEventKind.SystemTimeChanged => ClocksourceEventKind.TimeChanged,
            WindowsTimeEventKind.SyncStarted or WindowsTimeEventKind.SourceValid or WindowsTimeEventKind.TimeSet => ClocksourceEventKind.TimeSync,
            _ => ClocksourceEventKind.TimeServiceProblem,
        },
        DeltaNs = e.Change is { } change ? change.Ticks * 100 : null,
        Reason = e.Source ?? e.Process,
        Message = Describe(e),
        Lines = e.Data,
        Source = $"System log: {e.Provider} {e.EventId.ToString(CultureInfo.InvariantCulture)}",
    };

    private static string Describe(WindowsTimeEvent e) => e.Kind switch
    {
        WindowsTimeEventKind.SystemTimeChanged => $"The system time changed from {e.OldTime:o} to {e.NewTime:o}" + (e.Process is null ? "." : $" ({e.Process})."),
        WindowsTimeEventKind.SyncStarted => $"The time service synchronizes with {e.Source}" + (e.Stratum is null ? "." : $", stratum {e.Stratum}."),
        WindowsTimeEventKind.SourceValid => $"NtpClient receives valid time data from {e.Source}.",
        WindowsTimeEventKind.TimeSet => $"The time service set the time with an offset of {e.Change?.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s.",
        WindowsTimeEventKind.NotSynchronized => "The time service has not synchronized for a long time.",
        _ => $"Time-Service event {e.EventId.ToString(CultureInfo.InvariantCulture)}.",
    };
}
