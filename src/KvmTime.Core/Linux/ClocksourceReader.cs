using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>Gathers and understands a Linux machine's clocksource state (sysfs plus /proc/cmdline).</summary>
internal static class ClocksourceReader
{
    public static GatherRequest Request() => new GatherRequest()
        .File("current", Clocksources.CurrentPath)
        .File("available", Clocksources.AvailablePath)
        .File("cmdline", "/proc/cmdline");

    public static ClocksourceInfo Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var current = gathered.TextOrNull("current")?.Trim();
        if (string.IsNullOrEmpty(current))
        {
            throw new KvmTimeException(ErrorIds.ClocksourceSysfsMissing, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.ClocksourceSysfsMissing, computerName, Clocksources.CurrentPath))
            {
                ComputerName = computerName,
            };
        }

        var available = (gathered.TextOrNull("available") ?? string.Empty)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var arguments = KernelCommandLine.Parse(gathered.TextOrNull("cmdline") ?? string.Empty);
        var timing = KernelCommandLine.TimingOnly(arguments);
        return new ClocksourceInfo
        {
            ComputerName = computerName,
            Os = "Linux",
            Current = current,
            Available = available,
            IsVdsoCapable = Clocksources.IsVdsoCapable(current, arguments),
            KernelArguments = timing.Select(a => a.ToString()).ToList(),
        };
    }
}
