namespace KvmTime.Linux;

/// <summary>Facts about Linux clocksource names.</summary>
internal static class Clocksources
{
    public const string SysfsDirectory = "/sys/devices/system/clocksource/clocksource0";
    public const string CurrentPath = SysfsDirectory + "/current_clocksource";
    public const string AvailablePath = SysfsDirectory + "/available_clocksource";

    /// <summary>Names users meet on x86 and arm64 guests, for tab completion where the target cannot be asked.</summary>
    public static readonly IReadOnlyList<string> KnownNames =
    [
        "kvm-clock", "tsc", "hpet", "acpi_pm", "hyperv_clocksource_tsc_page", "hyperv_clocksource_msr",
        "xen", "arch_sys_counter", "jiffies", "refined-jiffies",
    ];

    // Sources whose read is mapped into the vDSO on x86/arm64 (vdso_clock_mode != NONE).
    private static readonly HashSet<string> VdsoCapable = new(StringComparer.Ordinal)
    {
        "tsc", "kvm-clock", "hyperv_clocksource_tsc_page", "xen", "arch_sys_counter",
    };

    /// <summary>True when clock_gettime stays in user space with this source; no-kvmclock-vsyscall takes kvm-clock out.</summary>
    public static bool IsVdsoCapable(string clocksource, IEnumerable<KernelArgument> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (clocksource == "kvm-clock" && arguments.Any(a => a.Name == "no-kvmclock-vsyscall"))
        {
            return false;
        }

        return VdsoCapable.Contains(clocksource);
    }

    /// <summary>True for a name the kernel could register: letters, digits, '_', '-' and '.', at most 32 characters.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
