using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>Where the kernel log is read from on a target.</summary>
public enum KernelLogSource
{
    /// <summary>The journal when it holds kernel lines, else the syslog files, else dmesg.</summary>
    Auto,

    /// <summary>journalctl -k (exact stamps; -Boot picks earlier boots).</summary>
    Journal,

    /// <summary>The kernel ring buffer of the current boot.</summary>
    Dmesg,

    /// <summary>/var/log/kern.log*, else messages*, else syslog*, rotated and .gz files included.</summary>
    Syslog,
}

/// <summary>What Get-ClocksourceEvent asks for: the source and the filters.</summary>
internal sealed class ClocksourceEventQuery
{
    public KernelLogSource Source { get; init; } = KernelLogSource.Auto;

    /// <summary>Log files to read instead of the system's sources.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>The journal boot offset (0 current, -1 previous, ...).</summary>
    public int? Boot { get; init; }

    public DateTime? SinceUtc { get; init; }

    public DateTime? UntilUtc { get; init; }

    public IReadOnlyList<ClocksourceEventKind> Kinds { get; init; } = [];

    /// <summary>Clocksource names; an event matches when its Clocksource, Watchdog or CurrentClocksource is one of them.</summary>
    public IReadOnlyList<string> Clocksources { get; init; } = [];

    /// <summary>The boot time for boot-relative stamps in -Path files from another boot or machine.</summary>
    public DateTime? BootTimeUtc { get; init; }

    public bool Matches(ClocksourceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if ((SinceUtc is not null || UntilUtc is not null) && e.TimeCreated is null)
        {
            return false;
        }

        return (SinceUtc is null || e.TimeCreated >= SinceUtc) &&
            (UntilUtc is null || e.TimeCreated <= UntilUtc) &&
            (Kinds.Count == 0 || Kinds.Contains(e.Kind)) &&
            (Clocksources.Count == 0 || Clocksources.Any(c => Named(c, e)));
    }

    private static bool Named(string name, ClocksourceEvent e) =>
        string.Equals(name, e.Clocksource, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, e.Watchdog, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, e.CurrentClocksource, StringComparison.OrdinalIgnoreCase);
}
