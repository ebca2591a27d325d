using KvmTime.Model;

namespace KvmTime.Linux;

/// <summary>
/// Measure-ClocksourceCost -All on one machine, decided: the clocksource in use (measured first, and
/// restored last) and the others in the kernel's order, each switched to at runtime through sysfs.
/// </summary>
internal sealed class ClocksourceSweepPlan
{
    public required string ComputerName { get; init; }

    public required string Original { get; init; }

    /// <summary>Every clocksource to measure, the original first.</summary>
    public required IReadOnlyList<string> Order { get; init; }

    public string Action => $"Measure clock reads with each clocksource ({string.Join(", ", Order)}), then switch back to {Original}";

    /// <summary>The runtime writes, in the order they run; nothing else changes.</summary>
    public string Describe() => string.Concat(Order.Skip(1).Append(Order.Count > 1 ? Original : null).OfType<string>()
        .Select(name => $"# write: {name} > {Clocksources.CurrentPath}\n"));

    public static ClocksourceSweepPlan Plan(ClocksourceInfo clock, string? uid, string computerName)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (uid?.Trim() != "0")
        {
            throw new Targets.KvmTimeException(Targets.ErrorIds.ClocksourceSweepNeedsRoot, Targets.FailureKind.PermissionDenied,
                $"{computerName}: -All switches the clocksource, which only root may do, and this account is uid {uid?.Trim() ?? "unknown"}. Connect as root, or add -UseSudo. Nothing was changed.")
            { ComputerName = computerName };
        }

        return new ClocksourceSweepPlan
        {
            ComputerName = computerName,
            Original = clock.Current,
            Order = [clock.Current, .. clock.Available.Where(a => a != clock.Current).Distinct(StringComparer.Ordinal)],
        };
    }
}
