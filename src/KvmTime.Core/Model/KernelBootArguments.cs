namespace KvmTime.Model;

/// <summary>The timing arguments a machine runs with and those its next boot gets.</summary>
public sealed class KernelBootArguments
{
    public required string ComputerName { get; init; }

    public required string BootLoader { get; init; }

    /// <summary>Timing arguments of the running kernel (/proc/cmdline).</summary>
    public required IReadOnlyList<string> Running { get; init; }

    /// <summary>Timing arguments the next boot gets.</summary>
    public required IReadOnlyList<string> NextBoot { get; init; }

    /// <summary>Where NextBoot was read: grubby --info, grub.cfg, /etc/kernel/cmdline.</summary>
    public required string Source { get; init; }

    /// <summary>In NextBoot but not running yet.</summary>
    public required IReadOnlyList<string> PendingAdded { get; init; }

    /// <summary>Running but gone after the next boot.</summary>
    public required IReadOnlyList<string> PendingRemoved { get; init; }

    public required bool RebootRequired { get; init; }

    public override string ToString() => $"{ComputerName}: RebootRequired={RebootRequired}";
}
