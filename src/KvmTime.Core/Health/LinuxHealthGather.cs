using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Linux.KernelLog;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Health;

/// <summary>
/// Test-KvmTimeHealth's one round trip on Linux: the requests of the existing readers (clocksource,
/// CPU flags, cpufreq, cpuidle, time daemon and chronyd's service, boot loader, kernel log) combined into one, plus the
/// running domains of a KVM host; and the parse back through the same readers.
/// </summary>
internal sealed class LinuxHealthGather
{
    private const string ChronyServiceKey = "chronyd_service";
    private readonly string nonce;
    private readonly BootFactsReader boot = new();
    private readonly ClocksourceEventQuery kernelLog = new();

    /// <param name="nonce">The frame marker of the kernel log and domain outputs; a fresh one unless a test replays a recorded output.</param>
    public LinuxHealthGather(string? nonce = null) => this.nonce = nonce ?? LinuxGatherScript.NewNonce();

    public GatherRequest Request() => new GatherRequest()
        .Include(ClocksourceReader.Request())
        .Include(CpuFrequencyReader.Request())
        .Include(CpuIdle.AddTo(new GatherRequest()))
        .Include(GuestTimeSyncReader.Request())
        .Command(ChronyServiceKey, TimeSyncConfigReader.InstalledChronyServiceCommand)
        .Include(boot.AddTo(new GatherRequest()))
        .Include(ClocksourceEventReader.Request(kernelLog, nonce))
        .Command(HostDomains.Key, HostDomains.Command(nonce));

    public LinuxHealthFacts Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var clock = ClocksourceReader.Parse(gathered, computerName);
        var cpu = CpuInfo.Parse(gathered.TextOrNull("cpuinfo") ?? string.Empty);
        var arguments = KernelCommandLine.Parse(gathered.TextOrNull("cmdline") ?? string.Empty);
        var sync = GuestTimeSyncReader.Parse(gathered, computerName);
        var (configPath, config) = GuestTimeSyncReader.EffectiveChronyConfig(gathered);
        var domains = gathered.Get(HostDomains.Key);
        return new LinuxHealthFacts
        {
            ComputerName = computerName,
            Clock = clock,
            Cpu = cpu,
            KernelArguments = arguments,
            TimeSync = sync,
            ChronyConfigPath = configPath,
            ChronyConfig = config,
            ChronydStartable = gathered.Get(ChronyServiceKey) is { Succeeded: true } service
                && TimeSyncConfigReader.ServiceOf(service.Text).Manager != ServiceManager.Unknown,
            TscUnstableEvents = TscUnstableEvents(gathered, computerName),
            TscUnstableArguments = TscUnstableScanner.FindInArguments(arguments),
            BootArguments = BootArguments(gathered, computerName),
            Idle = CpuIdle.Parse(gathered),
            Frequency = CpuFrequencyReader.Parse(gathered, computerName),
            Domains = sync.IsKvmHost && domains is { Succeeded: true } ? HostDomains.Parse(domains.Text, nonce) : null,
            DomainsError = sync.IsKvmHost && domains is { Succeeded: false } ? $"virsh could not list the running domains (exit {domains.ExitCode}: {string.Join(" ", domains.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))}). Start libvirtd (or virtqemud), or check as root or a member of the libvirt group" : null,
        };
    }

    /// <summary>The TSC's unstable marks of this boot, judged over the whole log as Get-ClocksourceEvent judges them.</summary>
    private List<ClocksourceEvent>? TscUnstableEvents(GatherResult gathered, string computerName)
    {
        KernelLogReadResult read;
        try
        {
            read = ClocksourceEventReader.Parse(gathered, nonce, kernelLog, computerName, null);
        }
        catch (KvmTimeException)
        {
            return null; // unreadable (dmesg_restrict for a non-root user): unknown, not "no marks"
        }

        // Syslog files reach back over older boots: only marks since this boot count.
        var bootTime = ClocksourceEventReader.ParseClock(gathered.TextOrNull("clock"), null, null).BootTimeUtc;
        return read.Events
            .Where(e => e.IsUnstable && (e.Kind == ClocksourceEventKind.TscUnstable || e.Clocksource is "tsc" or "tsc-early"))
            .Where(e => e.Source == "Dmesg" || (bootTime is { } b && e.TimeCreated >= b.AddSeconds(-2)))
            .ToList();
    }

    private KernelBootArguments? BootArguments(GatherResult gathered, string computerName)
    {
        try
        {
            return KernelBootArgumentsReport.Of(boot.Parse(gathered), null, computerName);
        }
        catch (KvmTimeException)
        {
            return null; // boot loader not recognised: no pending-reboot judgement
        }
    }
}
