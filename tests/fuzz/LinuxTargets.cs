using KvmTime.Linux;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>The Linux guest parsers: time daemons, CPU and clocksource facts, kernel command lines.</summary>
public static class LinuxTargets
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new("timedatectl-show", ["timesync/timedatectl-show.txt"], s => Timedatectl.ParseShow(s)),
        new("timedatectl-timesync-status", ["timesync/timedatectl-timesync-status*.txt"], s => Timedatectl.ParseTimesyncStatus(s)),
        new("timedatectl-timespan", ["timesync/timedatectl-timesync-status*.txt"], s => Timedatectl.ParseTimespan(s)),
        new("chrony-sources", ["timesync/chrony-*-sources*"], s => ChronySources.Parse(s)),
        new("chrony-tracking", ["timesync/chrony-*tracking*"], s => ChronyTracking.Parse(s)),
        new("chrony-config", ["timesync/chrony-*.conf"], s => ChronyConfigAdvisor.Advise(s, ptpKvmAvailable: true)),
        new("ntpq-peers", ["timesync/ntp*-ntpq-p.txt"], s => NtpqPeers.Parse(s)),
        new("ntpq-rv", ["timesync/ntpq-rv.txt"], s => NtpqPeers.ParseSystemVariables(s)),
        new("labelled-lines", ["timesync/chrony-4.3-lab-tracking.txt"], s => LabelledLines.Parse(s, ':')),
        new("cpuinfo", ["cpuinfo/*.txt"], s => CpuInfo.Parse(s)),
        new("kernel-cmdline", ["boot/documented_format/kernel-cmdline", "sysfs/build-machine-cmdline.txt"], s => KernelCommandLine.Parse(s)),
        new("tsc-unstable-scan", ["kernellog/tsc-sync-adjust-dmesg.txt", "kernellog/watchdog-*"], s => TscUnstableScanner.FindInKernelLog(s)),
        new("clocksource-gather", ["sysfs/*", "boot/documented_format/kernel-cmdline", "cpuinfo/*.txt"], s => ClocksourceReader.Parse(GatherInput.For(ClocksourceReader.Request(), s), "fuzz")),
        new("tsc-gather", ["sysfs/*", "cpuinfo/*.txt", "kernellog/tsc-sync-adjust-dmesg.txt"], s => TscReader.Parse(GatherInput.For(TscReader.Request(), s), "fuzz")),
        new("cpuidle-gather", ["sysfs/*"], s => CpuIdle.Parse(GatherInput.For(CpuIdle.AddTo(new GatherRequest()), s))),
        new("timesync-gather", ["timesync/*"], s => GuestTimeSyncReader.Parse(GatherInput.For(GuestTimeSyncReader.Request(), s), "fuzz")),
        new("timesync-plan", ["timesync/*"], s => GuestTimeSyncPlanner.Plan("fuzz", GatherInput.For(GuestTimeSyncReader.Request(), s), GuestSyncMethod.Auto)),
        new("chrony-drop-ins", ["timesync/chrony-*.conf"], s => ChronyDropIns.Find(ChronyDirective.Parse(s))),
        new("chrony-config-change", ["timesync/chrony-*.conf"], s => ChronyConfigPlanner.Plan(TimeSyncConfigFuzz.Facts(s), TimeSyncConfigFuzz.Everything, DateTime.UnixEpoch)),
        new("ntp-config-change", ["timesync/chrony-*.conf"], s => NtpConfigPlanner.Plan(TimeSyncConfigFuzz.NtpFacts(s), new TimeSyncConfigRequest { Preset = GuestTimeSyncPreset.Vm }, DateTime.UnixEpoch)),
        new("gather-output", ["timesync/chrony-4.3-lab-tracking.txt"], s => LinuxGatherScript.Parse(s, "fuzznonce")),
    ];
}
