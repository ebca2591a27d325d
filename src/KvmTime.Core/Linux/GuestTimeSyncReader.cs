using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>Gathers and understands a Linux guest's time service (chronyd, ntpd/ntpsec or systemd-timesyncd) in one round trip.</summary>
internal static class GuestTimeSyncReader
{
    public const string ChronyConfDebian = "/etc/chrony/chrony.conf";
    public const string ChronyConfRedHat = "/etc/chrony.conf";

    /// <summary>
    /// Prints each time daemon that runs, one a line, in the order Auto prefers them. One pass over
    /// the process names with the shell's own read: no process started (pidof was one per daemon),
    /// and it works where pidof is not installed. The kernel cuts a name to 15 characters. A daemon
    /// that has exited but is not reaped yet (state Z or X in its stat line) does not count.
    /// </summary>
    public const string RunningDaemonsCommand =
        "kt_c=; kt_n=; kt_t=; for kt_f in /proc/[0-9]*/comm; do IFS= read -r kt_p 2>/dev/null <\"$kt_f\" || continue; "
        + "case $kt_p in chronyd|ntpd|systemd-timesyn) ;; *) continue;; esac; "
        + "kt_s=; IFS= read -r kt_s 2>/dev/null <\"${kt_f%/comm}/stat\"; case $kt_s in *') '[ZX]*|'') continue;; esac; "
        + "case $kt_p in chronyd) kt_c=1;; ntpd) kt_n=1;; systemd-timesyn) kt_t=1;; esac; done; "
        + "[ -z \"$kt_c\" ] || echo chronyd; [ -z \"$kt_n\" ] || echo ntpd; [ -z \"$kt_t\" ] || echo systemd-timesyncd";

    // timedatectl needs systemd as init: sd_booted(3)'s own test, so a guest without systemd (OpenRC,
    // busybox, a container) spends no process on a call that cannot answer.
    private const string SystemdOnly = "[ -d /run/systemd/system ] || exit 1; ";

    // ptp_kvm: the device link, a PTP clock named by the driver, or a module that can be loaded.
    private const string PtpKvm =
        "[ -e /dev/ptp_kvm ] && echo device; for f in /sys/class/ptp/*/clock_name; do [ -r \"$f\" ] && grep -qi kvm \"$f\" && echo clock; done; "
        + "modinfo ptp_kvm >/dev/null 2>&1 && echo module; grep -qw kvm-clock /sys/devices/system/clocksource/clocksource0/available_clocksource 2>/dev/null && echo kvm; true";

    // A KVM host: the kvm device, and libvirt or QEMU to run guests with it.
    private const string KvmHost =
        "[ -c /dev/kvm ] || exit 1; PATH=\"$PATH:/usr/sbin:/sbin:/usr/libexec\"; for c in virsh libvirtd virtqemud qemu-kvm qemu-system-x86_64 qemu-system-aarch64; do command -v \"$c\" >/dev/null 2>&1 && exit 0; done; exit 1";

    public static GatherRequest Request() => new GatherRequest()
        .Command("kvm_host", KvmHost)
        .Command("daemons", RunningDaemonsCommand)
        .Command("chrony_tracking", "chronyc -n -c tracking")
        .Command("chrony_sources", "chronyc -n -c sources")
        .Command("ntpq_peers", "ntpq -pn")
        .Command("ntpq_rv", "ntpq -c 'rv 0 leap,stratum,offset,frequency'")
        .Command("ntpq_version", "ntpq --version 2>&1")
        .Command("timedatectl_show", SystemdOnly + "timedatectl show")
        .Command("timesync_status", SystemdOnly + "timedatectl timesync-status")
        .Command("ptp_kvm", PtpKvm)
        .File("chrony_conf_debian", ChronyConfDebian)
        .File("chrony_conf_redhat", ChronyConfRedHat)
        .Command("chrony_settings_dropins", TimeSyncConfig.ChronyDropIns.SettingsDropInsCommand);

    /// <summary>The daemons that run, in the order Auto prefers them.</summary>
    public static IReadOnlyList<string> RunningDaemonsOf(GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        return (gathered.TextOrNull("daemons") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static GuestTimeSyncStatus Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var status = ParseDaemon(gathered, computerName);
        return new GuestTimeSyncStatus
        {
            ComputerName = status.ComputerName,
            Daemon = status.Daemon,
            Source = status.Source,
            Stratum = status.Stratum,
            Offset = status.Offset,
            FrequencyPpm = status.FrequencyPpm,
            LeapStatus = status.LeapStatus,
            IsSynchronized = status.IsSynchronized,
            Sources = status.Sources,
            ConfigPath = status.ConfigPath,
            IsKvmHost = gathered.Get("kvm_host")?.Succeeded == true,
            Recommendations = status.Recommendations,
        };
    }

    private static GuestTimeSyncStatus ParseDaemon(GatherResult gathered, string computerName)
    {
        var running = RunningDaemonsOf(gathered);
        var (configPath, config) = EffectiveChronyConfig(gathered);
        var recommendations = config is null ? [] : ChronyConfigAdvisor.Advise(config, PtpKvmAvailable(gathered.TextOrNull("ptp_kvm")));
        if (running.Contains("chronyd"))
        {
            return Chrony(gathered, computerName, configPath, recommendations);
        }

        if (running.Contains("ntpd"))
        {
            return Ntpd(gathered, computerName, recommendations);
        }

        if (running.Contains("systemd-timesyncd"))
        {
            return Timesyncd(gathered, computerName, recommendations);
        }

        return new GuestTimeSyncStatus
        {
            ComputerName = computerName,
            Daemon = "None",
            IsSynchronized = false,
            Sources = [],
            ConfigPath = configPath,
            Recommendations = [.. recommendations, "No time daemon runs: install and enable chrony, so the guest corrects its clock after pauses and migrations."],
        };
    }

    /// <summary>
    /// The ptp_kvm refclock needs a KVM host: an existing device or clock is proof; a loadable module
    /// counts only when the guest also sees kvm-clock (TCG and other hypervisors cannot serve it).
    /// </summary>
    internal static bool PtpKvmAvailable(string? probe)
    {
        var found = (probe ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return found.Contains("device") || found.Contains("clock") || (found.Contains("module") && found.Contains("kvm"));
    }

    /// <summary>The chrony.conf that was read and its text as chronyd reads it (settings drop-ins in place); nulls when there is none.</summary>
    public static (string? Path, string? Text) EffectiveChronyConfig(GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var (path, config) = ChronyConfig(gathered);
        return (path, config is null ? null : TimeSyncConfig.ChronyDropIns.Effective(config, gathered.TextOrNull("chrony_settings_dropins")));
    }

    private static (string? Path, string? Text) ChronyConfig(GatherResult gathered) =>
        gathered.TextOrNull("chrony_conf_debian") is { } debian ? (ChronyConfDebian, debian)
        : gathered.TextOrNull("chrony_conf_redhat") is { } redhat ? (ChronyConfRedHat, redhat)
        : (null, null);

    private static GuestTimeSyncStatus Chrony(GatherResult gathered, string computerName, string? configPath, IReadOnlyList<string> recommendations)
    {
        var tracking = ChronyTracking.Parse(gathered.TextOrNull("chrony_tracking") ?? string.Empty);
        var sources = ChronySources.Parse(gathered.TextOrNull("chrony_sources") ?? string.Empty);
        return new GuestTimeSyncStatus
        {
            ComputerName = computerName,
            Daemon = "chronyd",
            Source = tracking is { IsSynchronized: true } ? tracking.ReferenceName ?? tracking.ReferenceId : null,
            Stratum = tracking is { IsSynchronized: true } ? tracking.Stratum : null,
            Offset = tracking?.Offset,
            FrequencyPpm = tracking?.FrequencyPpm,
            LeapStatus = tracking?.LeapStatus,
            IsSynchronized = tracking?.IsSynchronized ?? false,
            Sources = sources,
            ConfigPath = configPath,
            Recommendations = recommendations,
        };
    }

    private static GuestTimeSyncStatus Ntpd(GatherResult gathered, string computerName, IReadOnlyList<string> recommendations)
    {
        var peers = NtpqPeers.Parse(gathered.TextOrNull("ntpq_peers") ?? string.Empty);
        var system = NtpqPeers.ParseSystemVariables(gathered.TextOrNull("ntpq_rv") ?? string.Empty);
        var selected = peers.FirstOrDefault(p => p.IsSelected);
        var isNtpsec = (gathered.Get("ntpq_version")?.Text ?? string.Empty).Contains("ntpsec", StringComparison.OrdinalIgnoreCase);
        return new GuestTimeSyncStatus
        {
            ComputerName = computerName,
            Daemon = isNtpsec ? "ntpsec" : "ntpd",
            Source = selected?.Name,
            Stratum = system?.Stratum ?? (selected?.Stratum + 1),
            Offset = system?.Offset ?? selected?.Offset,
            FrequencyPpm = system?.FrequencyPpm,
            LeapStatus = system?.LeapStatus,
            IsSynchronized = selected is not null && (system?.IsSynchronized ?? true),
            Sources = peers,
            Recommendations = recommendations,
        };
    }

    private static GuestTimeSyncStatus Timesyncd(GatherResult gathered, string computerName, IReadOnlyList<string> recommendations)
    {
        var show = Timedatectl.ParseShow(gathered.TextOrNull("timedatectl_show") ?? string.Empty);
        var status = Timedatectl.ParseTimesyncStatus(gathered.TextOrNull("timesync_status") ?? string.Empty);
        return new GuestTimeSyncStatus
        {
            ComputerName = computerName,
            Daemon = "systemd-timesyncd",
            Source = status?.Server,
            Stratum = status?.Stratum,
            Offset = status?.Offset,
            FrequencyPpm = status?.FrequencyPpm,
            LeapStatus = status?.Leap,
            IsSynchronized = show.GetValueOrDefault("NTPSynchronized") == "yes",
            Sources = [],
            Recommendations = [.. recommendations, "systemd-timesyncd is an SNTP client that slews slowly and has no refclocks; chrony recovers faster after pauses and migrations."],
        };
    }
}
