using System.Text;

namespace KvmTime.Windows;

/// <summary>
/// Decodes the Hyper-V CPUID leaves a guest sees (Linux include/hyperv/hvgdk_mini.h, HYPERV_CPUID_FEATURES.EAX).
/// KVM shows them when the domain has hypervclock or &lt;hyperv&gt; enlightenments.
/// </summary>
internal static class HyperVCpuid
{
    private static readonly (int Bit, string Name)[] FeatureBits =
    [
        (0, "runtime"),
        (1, "time-ref-count"),
        (2, "synic"),
        (3, "stimer"),
        (4, "vapic"),
        (6, "vpindex"),
        (7, "reset"),
        (9, "reference-tsc"),
        (11, "frequencies"),
    ];

    /// <summary>The 12-character vendor of leaf 0x40000000 (EBX, ECX, EDX), e.g. "Microsoft Hv" or "KVMKVMKVM".</summary>
    public static string Vendor(int ebx, int ecx, int edx)
    {
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), ecx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), edx);
        return Encoding.ASCII.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>The enlightenments of leaf 0x40000003 EAX; only meaningful when the vendor is "Microsoft Hv".</summary>
    public static IReadOnlyList<string> Features(int eax) =>
        FeatureBits.Where(f => (eax & (1 << f.Bit)) != 0).Select(f => f.Name).ToList();

    /// <summary>CPUID 0x80000007 EDX bit 8: the TSC runs at a constant rate in every P-, C- and T-state.</summary>
    public static bool InvariantTsc(int edx) => (edx & (1 << 8)) != 0;

    /// <summary>CPUID 1 ECX bit 31: a hypervisor is present.</summary>
    public static bool HypervisorPresent(int ecx) => ecx < 0;
}
