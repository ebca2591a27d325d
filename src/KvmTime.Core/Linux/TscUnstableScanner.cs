using System.Text.RegularExpressions;

namespace KvmTime.Linux;

/// <summary>
/// Finds the kernel's own statements that the TSC was marked unstable, across message generations
/// (2.6 through the 2026 watchdog rewrite), and the boot arguments that force it.
/// </summary>
public static partial class TscUnstableScanner
{
    /// <summary>The shell filter a remote target runs, so only candidate lines cross the wire.</summary>
    public const string KernelLogCommand =
        // journalctl exits 0 with no output when journald never ran, which would read as "no marks": demand text.
        "d=$(dmesg 2>/dev/null) || { d=$(journalctl -k -b -q --no-pager 2>/dev/null) && [ -n \"$d\" ]; } || exit 3; " +
        "printf '%s\\n' \"$d\" | grep -iE 'unstable|tsc warp|warped' ; exit 0";

    [GeneratedRegex(@"Marking TSC unstable due to:? ?(?<reason>.+?)\.?\s*$|TSC found unstable after boot|Marking clocksource '?tsc(-early)?'? (as )?unstable|Clocksource tsc(-early)? unstable|cycles TSC warp between CPUs|TSC warped randomly between CPUs", RegexOptions.CultureInvariant)]
    private static partial Regex UnstablePattern();

    [GeneratedRegex(@"^\s*(<\d+>)?\s*(\[\s*[\d.]+\]\s*)?", RegexOptions.CultureInvariant)]
    private static partial Regex LogPrefix();

    /// <summary>The kernel log lines that mark the TSC unstable, without their timestamps.</summary>
    public static IReadOnlyList<string> FindInKernelLog(string kernelLog)
    {
        ArgumentNullException.ThrowIfNull(kernelLog);
        return kernelLog.Split('\n')
            .Where(line => UnstablePattern().IsMatch(line))
            .Select(line => LogPrefix().Replace(line, string.Empty).TrimEnd())
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Boot arguments that make the kernel mark the TSC unstable from the start.</summary>
    public static IReadOnlyList<string> FindInArguments(IEnumerable<KernelArgument> arguments) =>
        arguments
            .Where(a => (a.Name == "tsc" && a.Value == "unstable") || a.Name == "notsc")
            .Select(a => "boot parameter " + a)
            .ToList();
}
