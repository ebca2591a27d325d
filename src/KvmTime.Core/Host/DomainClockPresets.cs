using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The clocks virt-manager gives new guests (virtinst/domain/clock.py and its Windows 10 test
/// domain): the Linux one drops the HPET and lets the RTC catch up; the Windows one adds the
/// Hyper-V clock and the enlightenments whose synthetic timers keep Windows off the HPET and RTC.
/// </summary>
internal static class DomainClockPresets
{
    public static IReadOnlyList<string> Names { get; } = ["Linux", "Windows"];

    /// <summary>
    /// Timers a preset keeps as they are: the tsc timer's frequency and mode are what the guest
    /// was installed and migrated with, not a clock policy a preset should undo.
    /// </summary>
    public static IReadOnlyList<string> KeptTimers { get; } = ["tsc"];

    private static readonly DomainTimer[] LinuxTimers =
    [
        new() { Name = "rtc", TickPolicy = "catchup" },
        new() { Name = "pit", TickPolicy = "delay" },
        new() { Name = "hpet", Present = false },
    ];

    public static DomainClockChange Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Equals("Linux", StringComparison.OrdinalIgnoreCase))
        {
            return new DomainClockChange { Preset = "Linux", Offset = "utc", ReplaceTimers = true, Timers = LinuxTimers };
        }

        if (name.Equals("Windows", StringComparison.OrdinalIgnoreCase))
        {
            return new DomainClockChange
            {
                Preset = "Windows",
                Offset = "localtime",
                ReplaceTimers = true,
                Timers = [.. LinuxTimers, new DomainTimer { Name = "hypervclock", Present = true }],
                // stimer needs synic and vpindex (QEMU docs/system/i386/hyperv.rst); all in libvirt's order.
                HyperV =
                [
                    new("relaxed", true),
                    new("vapic", true),
                    new("spinlocks", true, "8191"),
                    new("vpindex", true),
                    new("runtime", true),
                    new("synic", true),
                    new("stimer", true),
                    new("frequencies", true),
                    new("tlbflush", true),
                    new("ipi", true),
                ],
            };
        }

        throw new KvmTimeException(ErrorIds.InvalidPreset, FailureKind.InvalidArgument,
            string.Format(CultureInfo.InvariantCulture, Messages.InvalidPreset, name));
    }
}
