using System.Globalization;
using KvmTime.Changes;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// The ptp_kvm part of Set-GuestTimeSync -PtpKvm: which device chrony reads, the files that load the
/// module at every boot and give the clock its stable name, and the commands that load it now.
/// </summary>
internal sealed class PtpKvmPlan
{
    /// <summary>The stable name a udev rule gives the KVM clock; /dev/ptpN numbering can change between boots (chrony FAQ).</summary>
    public const string StableDevice = "/dev/ptp_kvm";

    public const string UdevRule = "# Written by KvmTime Set-GuestTimeSync: a stable name for the KVM host's clock (ptp_kvm).\nSUBSYSTEM==\"ptp\", ATTR{clock_name}==\"KVM virtual PTP\", SYMLINK += \"ptp_kvm\"\n";

    public const string ModulesLoad = "# Written by KvmTime Set-GuestTimeSync: the KVM host's clock for chronyd's PHC refclock.\nptp_kvm\n";

    private const string WaitForStableDevice =
        "i=0; while [ ! -e /dev/ptp_kvm ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; [ -e /dev/ptp_kvm ] || { echo 'no /dev/ptp_kvm appeared'; exit 1; }";

    public required string Device { get; init; }

    public IReadOnlyList<PlannedFile> Files { get; init; } = [];

    public IReadOnlyList<string> Commands { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// chrony.conf(5): a PHC refclock is the absolute path of the PTP clock's device; the KVM clock is
    /// the host's UTC system time, so it needs no TAI offset. poll 2 reads it every 4 s.
    /// </summary>
    public string RefclockLine => $"refclock PHC {Device} poll 2";

    public static PtpKvmPlan Plan(TimeSyncConfigFacts facts, string stamp)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var computerName = facts.ComputerName;
        var clock = facts.PtpClocks.FirstOrDefault(c => c.IsKvm);
        var canLoad = facts.PtpKvmModuleAvailable && facts.KvmClockAvailable;
        if (clock is null && !canLoad)
        {
            var why = !facts.KvmClockAvailable
                ? Messages.PtpKvmNoKvmClock
                : Messages.PtpKvmModuleMissing;
            throw new KvmTimeException(ErrorIds.PtpKvmUnavailable, FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.PtpKvmUnavailable, computerName, PtpClock.KvmClockName, why))
            { ComputerName = computerName };
        }

        var files = new List<PlannedFile>();
        var commands = new List<string>();
        var warnings = new List<string>();
        if (facts.PtpKvmLoadedAtBootBy.Count == 0)
        {
            files.Add(Planned(facts.ModulesLoadFile, TimeSyncConfigReader.ModulesLoadPath, ModulesLoad, stamp));
        }

        if (clock is null)
        {
            commands.Add("modprobe ptp_kvm");
        }

        string device;
        if (facts.PtpKvmLink is not null && (clock is null || facts.PtpKvmLink == clock.Device))
        {
            device = StableDevice;
        }
        else if (facts.HasUdev)
        {
            if (facts.PtpUdevRules.Count == 0)
            {
                files.Add(Planned(facts.UdevRuleFile, TimeSyncConfigReader.UdevRulePath, UdevRule, stamp));
                commands.Add("udevadm control --reload");
            }

            commands.Add("udevadm trigger --subsystem-match=ptp --action=add && udevadm settle --timeout=10");
            commands.Add(WaitForStableDevice);
            device = StableDevice;
        }
        else if (clock is not null)
        {
            device = clock.Device;
            warnings.Add($"{computerName} has no udev, so chronyd reads the KVM clock as {clock.Device}; that number can change when another PTP clock appears at boot.");
        }
        else
        {
            throw new KvmTimeException(ErrorIds.PtpKvmNeedsUdev, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.PtpKvmNeedsUdev, computerName))
            { ComputerName = computerName };
        }

        return new PtpKvmPlan { Device = device, Files = files, Commands = commands, Warnings = warnings };
    }

    private static PlannedFile Planned(Linux.Boot.BootFile? current, string path, string content, string stamp) =>
        new(path, current?.Content, content, current?.Content is null ? null : path + stamp);
}
