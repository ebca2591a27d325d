namespace KvmTime.Model;

/// <summary>
/// What a kernel clocksource message says happened. Windows time-change events (Kernel-General 1,
/// Time-Service) are meant to join this list with their own kinds, so the object type stays one.
/// ConvertTo-Json writes its names, not numbers, so JSON output reads the same as the table.
/// </summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum ClocksourceEventKind
{
    /// <summary>The kernel switched its clocksource ("Switching to" / "Switched to clocksource").</summary>
    Switched,

    /// <summary>A clocksource registered with its mask and max_idle_ns (boot, module load).</summary>
    Registered,

    /// <summary>A clocksource= override the kernel refused (not HRT compatible or unstable).</summary>
    OverrideRejected,

    /// <summary>A clocksource= override the kernel deferred until the source becomes HRT compatible.</summary>
    OverrideDeferred,

    /// <summary>The watchdog marked a clocksource unstable: the skew block, the old "delta" line, or the rewrite's frequency/inter-CPU skew.</summary>
    WatchdogUnstable,

    /// <summary>The TSC was marked unstable ("Marking TSC unstable due to", "TSC found unstable after boot", TSC warp).</summary>
    TscUnstable,

    /// <summary>The watchdog gave up because reading it back took too long, and marked the clocksource unstable.</summary>
    ReadBackUnstable,

    /// <summary>The watchdog needed several read attempts before a clean reading.</summary>
    WatchdogRetry,

    /// <summary>The watchdog skipped a skew check because its own read-back was delayed.</summary>
    WatchdogSkipped,

    /// <summary>The watchdog skipped a check because the readout interval was too long.</summary>
    LongReadout,

    /// <summary>The rewritten watchdog timed out reading the watchdog or a remote CPU.</summary>
    WatchdogTimeout,

    /// <summary>The per-CPU clocksource synchronization check, with CPUs found ahead or behind.</summary>
    SyncCheck,

    /// <summary>TSC frequency detection and calibration.</summary>
    Calibration,

    /// <summary>TSC_ADJUST MSR findings ([Firmware Bug] TSC ADJUST ...).</summary>
    TscAdjust,

    /// <summary>sched_clock marked stable or unstable.</summary>
    SchedClock,

    /// <summary>kvm-clock setup lines (MSRs, sched offset, per-CPU clocks).</summary>
    KvmClock,

    /// <summary>Windows: the system time was changed (Kernel-General 1).</summary>
    TimeChanged,

    /// <summary>Windows: the time service synchronizes with a source or set the time (Time-Service 35, 37, 52).</summary>
    TimeSync,

    /// <summary>Windows: the time service reports a problem (Time-Service 36 and other warnings).</summary>
    TimeServiceProblem,
}
