using KvmTime.Linux.KernelLog;
using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>
/// Finds the kernel's own statements that the TSC was marked unstable, across message generations
/// (2.6 through the 2026 watchdog rewrite), and the boot arguments that force it.
/// </summary>
internal static class TscUnstableScanner
{
    /// <summary>The shell filter a remote target runs, so only candidate lines cross the wire.</summary>
    public const string KernelLogCommand =
        // journalctl exits 0 with no output when journald never ran, which would read as "no marks": demand text.
        "d=$(dmesg 2>/dev/null) || { d=$(journalctl -k -b -q --no-pager 2>/dev/null) && [ -n \"$d\" ]; } || exit 3; " +
        "printf '%s\\n' \"$d\" | grep -iE 'unstable|tsc warp|warped' ; exit 0";

    /// <summary>
    /// The kernel log messages that mark the TSC unstable, without their timestamps. The messages are
    /// recognised by the same rules Get-ClocksourceEvent uses, so both agree on every generation.
    /// </summary>
    public static IReadOnlyList<string> FindInKernelLog(string kernelLog)
    {
        ArgumentNullException.ThrowIfNull(kernelLog);
        var clock = KernelLogClock.Local(null); // only the message text is kept, never its time
        return kernelLog.Split('\n')
            .Select(line => KernelLogLine.Parse(line, clock)?.Message)
            .OfType<string>()
            .Where(message => MarksTscUnstable(ClocksourceMessage.Recognize(message)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    // The lines that say so themselves: a TSC verdict, or the first line of a watchdog verdict on tsc.
    private static bool MarksTscUnstable(Fragment? fragment) => fragment switch
    {
        null => false,
        { Kind: ClocksourceEventKind.TscUnstable } => fragment.Role != FragmentRole.Header,
        { Kind: ClocksourceEventKind.WatchdogUnstable or ClocksourceEventKind.ReadBackUnstable, Role: FragmentRole.Event or FragmentRole.Header }
            => fragment.Clocksource is "tsc" or "tsc-early",
        _ => false,
    };

    /// <summary>Boot arguments that make the kernel mark the TSC unstable from the start.</summary>
    public static IReadOnlyList<string> FindInArguments(IEnumerable<KernelArgument> arguments) =>
        arguments
            .Where(a => (a.Name == "tsc" && a.Value == "unstable") || a.Name == "notsc")
            .Select(a => "boot parameter " + a)
            .ToList();
}
