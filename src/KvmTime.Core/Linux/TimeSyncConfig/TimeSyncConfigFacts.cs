using KvmTime.Linux.Boot;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>How the target starts and stops services.</summary>
internal enum ServiceManager
{
    Unknown,
    Systemd,
    InitScript,
    OpenRc,
    Service,
}

/// <summary>A PTP clock of the target: its device and the name its driver gives it.</summary>
internal sealed record PtpClock(string Device, string ClockName)
{
    /// <summary>The name the ptp_kvm driver gives its clock (drivers/ptp/ptp_kvm_common.c).</summary>
    public const string KvmClockName = "KVM virtual PTP";

    public bool IsKvm => ClockName.Trim() == KvmClockName;
}

/// <summary>Everything Set-GuestTimeSync reads from a Linux machine, in its one gather.</summary>
internal sealed class TimeSyncConfigFacts
{
    public required string ComputerName { get; init; }

    public required IReadOnlyList<string> RunningDaemons { get; init; }

    /// <summary>chrony.conf as read (null: no chrony configuration).</summary>
    public BootFile? ChronyConf { get; init; }

    /// <summary>Every file of the drop-in directories chrony.conf names.</summary>
    public IReadOnlyList<BootFile> DropInFiles { get; init; } = [];

    public IReadOnlyList<PtpClock> PtpClocks { get; init; } = [];

    /// <summary>Where /dev/ptp_kvm points, when the stable name exists.</summary>
    public string? PtpKvmLink { get; init; }

    public bool PtpKvmModuleAvailable { get; init; }

    /// <summary>True when the kernel offers kvm-clock: a KVM guest (TCG and other hypervisors do not).</summary>
    public bool KvmClockAvailable { get; init; }

    public bool HasUdev { get; init; }

    /// <summary>udev rule files that already name the KVM PTP clock.</summary>
    public IReadOnlyList<string> PtpUdevRules { get; init; } = [];

    /// <summary>modules-load.d files that already load ptp_kvm.</summary>
    public IReadOnlyList<string> PtpKvmLoadedAtBootBy { get; init; } = [];

    public BootFile? ModulesLoadFile { get; init; }

    public BootFile? UdevRuleFile { get; init; }

    public ServiceManager ServiceManager { get; init; }

    /// <summary>The chrony service's name under that manager: chrony (Debian) or chronyd.</summary>
    public string? ChronyService { get; init; }

    public ServiceManager NtpServiceManager { get; init; }

    /// <summary>The ntp service's name: ntpsec, ntp (Debian) or ntpd.</summary>
    public string? NtpService { get; init; }

    /// <summary>ntp.conf of ntpd or ntpsec, when present.</summary>
    public BootFile? NtpConf { get; init; }
}
