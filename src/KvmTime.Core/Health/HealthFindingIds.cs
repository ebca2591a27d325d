namespace KvmTime.Health;

/// <summary>
/// The stable identifiers of Test-KvmTimeHealth's findings: scripts, alerts and the Prometheus label
/// match on them, so a value never changes once released.
/// </summary>
internal static class HealthFindingIds
{
    /// <summary>The clocksource in use has no vDSO read path while kvm-clock or tsc is available.</summary>
    public const string ClocksourceWithoutVdso = nameof(ClocksourceWithoutVdso);

    /// <summary>A physical host without an invariant TSC, and neither a C-state limit nor a fixed frequency.</summary>
    public const string TscNotInvariant = nameof(TscNotInvariant);

    /// <summary>The kernel marked the TSC unstable in this boot (or a boot argument forces it).</summary>
    public const string TscMarkedUnstable = nameof(TscMarkedUnstable);

    /// <summary>No time daemon runs.</summary>
    public const string NoTimeDaemon = nameof(NoTimeDaemon);

    /// <summary>chrony has no makestep, or one that only steps after it starts.</summary>
    public const string MakestepMissing = nameof(MakestepMissing);

    /// <summary>A KVM host whose own time daemon is not synchronised: its guests are set from a wrong clock.</summary>
    public const string HostNotSynchronized = nameof(HostNotSynchronized);

    /// <summary>A guest whose time daemon runs but follows no source.</summary>
    public const string TimeNotSynchronized = nameof(TimeNotSynchronized);

    /// <summary>The time daemon reports the clock more than a second off.</summary>
    public const string LargeOffset = nameof(LargeOffset);

    /// <summary>Leap-smearing and unsmeared sources configured together.</summary>
    public const string SmearedSourcesMixed = nameof(SmearedSourcesMixed);

    /// <summary>The timing boot arguments of the next boot differ from the running ones.</summary>
    public const string RebootPending = nameof(RebootPending);

    /// <summary>A Windows domain without the Hyper-V clock (hypervclock).</summary>
    public const string WindowsDomainWithoutHypervclock = nameof(WindowsDomainWithoutHypervclock);

    /// <summary>A Windows domain's RTC offset is utc while Windows reads its RTC as local time.</summary>
    public const string DomainRtcOffsetMismatch = nameof(DomainRtcOffsetMismatch);

    /// <summary>A Windows guest that reads its RTC as UTC (RealTimeIsUniversal): its domain must keep offset utc.</summary>
    public const string WindowsRtcIsUniversal = nameof(WindowsRtcIsUniversal);

    /// <summary>A domain without the QEMU guest agent channel.</summary>
    public const string GuestAgentMissing = nameof(GuestAgentMissing);

    /// <summary>A running domain whose guest agent channel is not connected (no agent answers inside).</summary>
    public const string GuestAgentNotConnected = nameof(GuestAgentNotConnected);
}
