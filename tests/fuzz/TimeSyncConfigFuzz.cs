using KvmTime.Linux.Boot;
using KvmTime.Linux.TimeSyncConfig;

namespace KvmTime.Fuzz;

/// <summary>Set-GuestTimeSync's planners fed a fuzzed chrony.conf or ntp.conf, with a KVM PTP clock to configure.</summary>
internal static class TimeSyncConfigFuzz
{
    public static readonly TimeSyncConfigRequest Everything = new()
    {
        Preset = GuestTimeSyncPreset.Vm,
        PtpKvm = true,
        Servers = ["ntp1.example.net"],
        Force = true,
    };

    public static TimeSyncConfigFacts Facts(string conf) => new()
    {
        ComputerName = "fuzz",
        RunningDaemons = ["chronyd"],
        ChronyConf = new BootFile("/etc/chrony/chrony.conf", conf),
        DropInFiles = [new BootFile("/etc/chrony/conf.d/kvmtime.conf", conf)],
        PtpClocks = [new PtpClock("/dev/ptp0", PtpClock.KvmClockName)],
        HasUdev = true,
        KvmClockAvailable = true,
        PtpKvmModuleAvailable = true,
        ServiceManager = ServiceManager.Systemd,
        ChronyService = "chrony",
    };

    public static TimeSyncConfigFacts NtpFacts(string conf) => new()
    {
        ComputerName = "fuzz",
        RunningDaemons = ["ntpd"],
        NtpConf = new BootFile("/etc/ntp.conf", conf),
        NtpServiceManager = ServiceManager.Systemd,
        NtpService = "ntp",
    };
}
