using KvmTime.Linux.Boot;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>Gathers <see cref="TimeSyncConfigFacts"/> in one round trip: the daemon, chrony.conf and its drop-ins, the PTP clocks, the service manager.</summary>
internal sealed class TimeSyncConfigReader
{
    public const string ModulesLoadPath = "/etc/modules-load.d/kvmtime-ptp_kvm.conf";
    public const string UdevRulePath = "/etc/udev/rules.d/80-kvmtime-ptp_kvm.rules";
    public const string NtpConf = "/etc/ntp.conf";
    public const string NtpsecConf = "/etc/ntpsec/ntp.conf";
    private const string PathPrefix = "PATH=\"$PATH:/usr/sbin:/sbin\"; ";

    private const string Services =
        "if [ -d /run/systemd/system ]; then for u in chrony chronyd; do systemctl cat \"$u.service\" >/dev/null 2>&1 && { echo \"systemd $u\"; exit 0; }; done; fi; "
        + "if command -v rc-service >/dev/null 2>&1; then for u in chronyd chrony; do [ -x \"/etc/init.d/$u\" ] && { echo \"openrc $u\"; exit 0; }; done; fi; "
        + "for u in chrony chronyd; do [ -x \"/etc/init.d/$u\" ] && { echo \"initd $u\"; exit 0; }; done; "
        + "command -v service >/dev/null 2>&1 && echo 'service chronyd'; exit 0";

    /// <summary>Prints the installed chronyd's service as "MANAGER NAME" (see <see cref="ServiceOf"/>); exit 1 without the chronyd binary.</summary>
    public const string InstalledChronyServiceCommand = PathPrefix + "command -v chronyd >/dev/null 2>&1 || exit 1; " + Services;

    private const string NtpServices =
        "if [ -d /run/systemd/system ]; then for u in ntpsec ntp ntpd; do systemctl cat \"$u.service\" >/dev/null 2>&1 && { echo \"systemd $u\"; exit 0; }; done; fi; "
        + "for u in ntpsec ntp ntpd; do [ -x \"/etc/init.d/$u\" ] && { echo \"initd $u\"; exit 0; }; done; exit 0";

    private const string PtpClocks =
        "for f in /sys/class/ptp/ptp*/clock_name; do [ -r \"$f\" ] || continue; d=${f%/clock_name}; printf '/dev/%s\\t%s\\n' \"${d##*/}\" \"$(cat \"$f\")\"; done; exit 0";

    private readonly string nonce = LinuxGatherScript.NewNonce();

    public GatherRequest Request() => new GatherRequest()
        .Command("daemons", GuestTimeSyncReader.RunningDaemonsCommand)
        .File("chrony_conf_debian", GuestTimeSyncReader.ChronyConfDebian)
        .File("chrony_conf_redhat", GuestTimeSyncReader.ChronyConfRedHat)
        .Command("chrony_dropins", $"globs=$({ChronyDropIns.GlobsCommand}{GuestTimeSyncReader.ChronyConfDebian} {GuestTimeSyncReader.ChronyConfRedHat} 2>/dev/null); " + FileSet.Command("$globs", nonce))
        .Command("ptp_clocks", PtpClocks)
        .Command("ptp_kvm_link", "[ -e /dev/ptp_kvm ] && readlink -f /dev/ptp_kvm")
        .Command("ptp_kvm_module", PathPrefix + "[ -d /sys/module/ptp_kvm ] || modinfo ptp_kvm >/dev/null 2>&1")
        .Command("kvm_clock", "grep -qw kvm-clock /sys/devices/system/clocksource/clocksource0/available_clocksource")
        .Command("udev", PathPrefix + "command -v udevadm >/dev/null 2>&1")
        .Command("ptp_udev_rules", "grep -ls 'KVM virtual PTP' /etc/udev/rules.d/*.rules /run/udev/rules.d/*.rules /usr/lib/udev/rules.d/*.rules /lib/udev/rules.d/*.rules; exit 0")
        .Command("ptp_modules_load", "grep -lsxE '[[:space:]]*ptp_kvm[[:space:]]*' /etc/modules-load.d/*.conf /run/modules-load.d/*.conf /usr/lib/modules-load.d/*.conf /lib/modules-load.d/*.conf; exit 0")
        .File("modules_load", ModulesLoadPath)
        .File("udev_rule", UdevRulePath)
        .Command("services", Services)
        .Command("ntp_service", NtpServices)
        .File("ntp_conf", NtpConf)
        .File("ntpsec_conf", NtpsecConf);

    public TimeSyncConfigFacts Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var (manager, service) = ServiceOf(gathered.TextOrNull("services"));
        var (ntpManager, ntpService) = ServiceOf(gathered.TextOrNull("ntp_service"));
        return new TimeSyncConfigFacts
        {
            ComputerName = computerName,
            RunningDaemons = GuestTimeSyncReader.RunningDaemonsOf(gathered),
            ChronyConf = gathered.TextOrNull("chrony_conf_debian") is { } debian ? new BootFile(GuestTimeSyncReader.ChronyConfDebian, debian)
                : gathered.TextOrNull("chrony_conf_redhat") is { } redhat ? new BootFile(GuestTimeSyncReader.ChronyConfRedHat, redhat) : null,
            DropInFiles = FileSet.Parse(gathered.TextOrNull("chrony_dropins") ?? string.Empty, nonce),
            PtpClocks = Lines(gathered.TextOrNull("ptp_clocks")).Select(l => l.Split('\t', 2)).Where(p => p.Length == 2).Select(p => new PtpClock(p[0], p[1])).ToList(),
            PtpKvmLink = gathered.TextOrNull("ptp_kvm_link")?.Trim() is { Length: > 0 } link ? link : null,
            PtpKvmModuleAvailable = gathered.Get("ptp_kvm_module")?.Succeeded == true,
            KvmClockAvailable = gathered.Get("kvm_clock")?.Succeeded == true,
            HasUdev = gathered.Get("udev")?.Succeeded == true,
            PtpUdevRules = Lines(gathered.TextOrNull("ptp_udev_rules")).ToList(),
            PtpKvmLoadedAtBootBy = Lines(gathered.TextOrNull("ptp_modules_load")).ToList(),
            ModulesLoadFile = new BootFile(ModulesLoadPath, gathered.TextOrNull("modules_load")),
            UdevRuleFile = new BootFile(UdevRulePath, gathered.TextOrNull("udev_rule")),
            ServiceManager = manager,
            ChronyService = service,
            NtpServiceManager = ntpManager,
            NtpService = ntpService,
            NtpConf = gathered.TextOrNull("ntp_conf") is { } ntp ? new BootFile(NtpConf, ntp)
                : gathered.TextOrNull("ntpsec_conf") is { } ntpsec ? new BootFile(NtpsecConf, ntpsec) : null,
        };
    }

    /// <summary>"systemd chrony", "initd chronyd", ...: the manager and the service's name (Unknown and null when unrecognised).</summary>
    public static (ServiceManager Manager, string? Name) ServiceOf(string? line)
    {
        var words = (line ?? string.Empty).Trim().Split(' ', 2);
        return (ManagerOf(words[0]), words.Length == 2 ? words[1] : null);
    }

    private static ServiceManager ManagerOf(string word) => word switch
    {
        "systemd" => ServiceManager.Systemd,
        "openrc" => ServiceManager.OpenRc,
        "initd" => ServiceManager.InitScript,
        "service" => ServiceManager.Service,
        _ => ServiceManager.Unknown,
    };

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
