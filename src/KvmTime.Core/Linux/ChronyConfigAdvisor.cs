using System.Globalization;

namespace KvmTime.Linux;

/// <summary>
/// Reads chrony.conf for the settings a KVM guest needs and says what is missing. These are advice,
/// not failures: a guest without them still keeps time until it is paused, resumed or migrated.
/// </summary>
internal static class ChronyConfigAdvisor
{
    /// <param name="ptpKvmAvailable">True when /dev/ptp_kvm or a "KVM virtual PTP" clock exists, or the ptp_kvm module can be loaded on a KVM guest.</param>
    public static IReadOnlyList<string> Advise(string config, bool ptpKvmAvailable)
    {
        ArgumentNullException.ThrowIfNull(config);
        var directives = Directives(config);
        var advice = new List<string>();

        var makestep = directives.LastOrDefault(d => Is(d, "makestep"));
        if (makestep is null)
        {
            advice.Add("Add 'makestep 1 -1': without makestep chronyd only slews, so a guest resumed or migrated with a wrong clock takes hours to recover.");
        }
        else if (StepLimit(makestep) is { } limit)
        {
            advice.Add($"'{string.Join(' ', makestep)}' steps only in the first {limit} clock updates after chronyd starts; a guest that is resumed or migrated later is slewed for hours. Use 'makestep 1 -1' (chrony FAQ advice for VMs that are suspended and resumed).");
        }

        if (!directives.Any(d => Is(d, "rtcsync") || Is(d, "rtcfile")))
        {
            advice.Add("Add 'rtcsync' so the kernel copies the system time to the RTC every 11 minutes; the guest then boots, and restores after a host crash, with a close time.");
        }

        if (ptpKvmAvailable && !directives.Any(d => Is(d, "refclock") && d.Length > 1 && d[1].Equals("PHC", StringComparison.OrdinalIgnoreCase)))
        {
            advice.Add("This KVM guest can read the host clock through ptp_kvm: add 'refclock PHC /dev/ptp_kvm poll 2' (or the /dev/ptpN whose clock_name is 'KVM virtual PTP'; load ptp_kvm at boot), no 'offset -37'.");
        }

        return advice;
    }

    /// <summary>
    /// The makestep line chronyd uses (the last one) when it does not suit a VM, or "" when there is none;
    /// null when it steps at any time (a negative limit, as in 'makestep 1 -1').
    /// </summary>
    public static string? UnsuitableMakestep(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var makestep = Directives(config).LastOrDefault(d => Is(d, "makestep"));
        return makestep is null ? string.Empty : StepLimit(makestep) is null ? null : string.Join(' ', makestep);
    }

    // The number of updates makestep is limited to; null when it has no limit (negative).
    private static int? StepLimit(string[] makestep) =>
        makestep.Length >= 3 && int.TryParse(makestep[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var limit) && limit >= 0 ? limit : null;

    private static List<string[]> Directives(string config) => config.Split('\n')
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && line[0] is not ('#' or ';' or '!' or '%'))
        .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        .ToList();

    private static bool Is(string[] directive, string name) => directive[0].Equals(name, StringComparison.OrdinalIgnoreCase);
}
