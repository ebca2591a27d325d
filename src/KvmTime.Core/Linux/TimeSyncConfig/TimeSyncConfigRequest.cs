using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>Settings bundles of Set-GuestTimeSync.</summary>
internal enum GuestTimeSyncPreset
{
    /// <summary>No preset: only the sources or the PTP clock given.</summary>
    None,

    /// <summary>A virtual machine: step whenever the clock is off by more than a second (makestep 1 -1), and keep the RTC close (rtcsync).</summary>
    Vm,
}

/// <summary>What the user asked Set-GuestTimeSync for, checked when it is made.</summary>
internal sealed partial class TimeSyncConfigRequest
{
    public GuestTimeSyncPreset Preset { get; init; }

    public bool PtpKvm { get; init; }

    public IReadOnlyList<string> Servers { get; init; } = [];

    public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>Windows: w32time's SpecialPollInterval for the peers.</summary>
    public TimeSpan? PollInterval { get; init; }

    /// <summary>Allows mixing leap-smearing and unsmeared sources.</summary>
    public bool Force { get; init; }

    /// <summary>How long chronyd gets to select a source before the change is rolled back.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(45);

    public bool SetsSources => Servers.Count > 0 || Pools.Count > 0;

    public bool IsEmpty => Preset == GuestTimeSyncPreset.None && !PtpKvm && !SetsSources;

    /// <summary>Refuses a request that changes nothing or names a source no chrony line can hold, before any machine is contacted.</summary>
    public TimeSyncConfigRequest Validated()
    {
        foreach (var name in Servers.Concat(Pools).Where(n => !SourceName().IsMatch(n)))
        {
            throw new KvmTimeException(ErrorIds.InvalidTimeSourceName, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidTimeSourceName, name));
        }

        return IsEmpty
            ? throw new KvmTimeException(ErrorIds.NothingToConfigure, FailureKind.InvalidArgument,
                Messages.NothingToConfigure)
            : this;
    }

    // Host names and IPv4/IPv6 addresses: letters, digits, '.', '-', ':' (and '%' for a zone), at most 253 characters.
    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9.:%-]{0,252})$")]
    private static partial Regex SourceName();
}
