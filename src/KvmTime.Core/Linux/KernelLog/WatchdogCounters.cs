using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// The 4.x watchdog block prints raw counters ('acpi_pm' wd_now: f4b7d wd_last: 6c50c5 mask: ffffff),
/// no intervals. Where a counter's rate is known (acpi_pm's fixed 3.579545 MHz, the ns-counting xen
/// and kvm-clock, the TSC from the boot's own calibration line), this turns them into intervals.
/// </summary>
internal static partial class WatchdogCounters
{
    private static readonly Dictionary<string, double> FixedHz = new(StringComparer.Ordinal)
    {
        ["acpi_pm"] = 3_579_545,
        ["xen"] = 1e9,
        ["kvm-clock"] = 1e9,
    };

    /// <summary>The watchdog's and the clocksource's intervals in ns, each null when its rate is unknown.</summary>
    public static (long? WatchdogNs, long? ClocksourceNs) Intervals(ClocksourceEvent e, double? tscMHz)
    {
        long? wd = null, cs = null;
        foreach (var line in e.Lines)
        {
            if (Counter().Match(line) is not { Success: true } m)
            {
                continue;
            }

            var name = m.Groups["n"].Value;
            var cycles = (Hex(m, "now") - Hex(m, "last")) & Hex(m, "mask");
            double? hz = FixedHz.TryGetValue(name, out var f) ? f : name.StartsWith("tsc", StringComparison.Ordinal) && tscMHz is { } mhz ? mhz * 1e6 : null;
            long? ns = hz is { } rate ? (long)(cycles / rate * 1e9) : null;
            if (m.Groups["kind"].Value == "wd")
            {
                wd = ns;
            }
            else
            {
                cs = ns;
            }
        }

        return (wd, cs);
    }

    private static ulong Hex(Match m, string group) =>
        ulong.TryParse(m.Groups[group].ValueSpan, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v) ? v : 0;

    [GeneratedRegex(@"'(?<n>[^']+)' (?:(?:wd|cs)_nsec: -?\d+ )?(?<kind>wd|cs)_now: (?<now>[0-9a-f]{1,16}) (?:wd|cs)_last: (?<last>[0-9a-f]{1,16}) mask: (?<mask>[0-9a-f]{1,16})", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Counter();
}
