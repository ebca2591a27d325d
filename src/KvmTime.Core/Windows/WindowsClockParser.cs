using System.Globalization;
using System.Text.Json;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>What <see cref="WindowsClockScript"/> printed, parsed: the BCD elements, QPC frequency and CPUID leaves.</summary>
internal sealed class WindowsClockFacts
{
    public required string OsVersion { get; init; }

    public required string PowerShellVersion { get; init; }

    public required long QpcFrequency { get; init; }

    public required bool BcdRead { get; init; }

    public string? BcdError { get; init; }

    /// <summary>The CIM error code (AccessDenied, InvalidNamespace, CommandNotFound, ...), not localized.</summary>
    public string? BcdErrorCode { get; init; }

    /// <summary>Element key (0x260000A2) to its value: bool, an integer as text, or null when not set.</summary>
    public required IReadOnlyDictionary<string, JsonElement> BcdElements { get; init; }

    /// <summary>Leaf (0x80000007) to EAX, EBX, ECX, EDX; empty with <see cref="CpuIdError"/> when CPUID was out of reach.</summary>
    public required IReadOnlyDictionary<string, int[]> CpuIdLeaves { get; init; }

    public string? CpuIdError { get; init; }

    public int[]? Leaf(uint leaf) => CpuIdLeaves.GetValueOrDefault("0x" + leaf.ToString("X8", CultureInfo.InvariantCulture));
}

/// <summary>Parses the Windows snippet's JSON into ClocksourceInfo (+ its Windows part) and TscReport.</summary>
internal static class WindowsClockParser
{
    public static WindowsClockFacts Parse(string json, string computerName)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json.Trim());
            var root = document.RootElement;
            var bcd = root.GetProperty("Bcd");
            var cpu = root.GetProperty("CpuId");
            return new WindowsClockFacts
            {
                OsVersion = root.GetProperty("OsVersion").GetString() ?? string.Empty,
                PowerShellVersion = root.GetProperty("PSVersion").GetString() ?? string.Empty,
                QpcFrequency = root.GetProperty("QpcFrequency").GetInt64(),
                BcdRead = bcd.GetProperty("Read").GetBoolean(),
                BcdError = Text(bcd, "Error"),
                BcdErrorCode = Text(bcd, "ErrorCode"),
                BcdElements = bcd.GetProperty("Elements").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase),
                CpuIdLeaves = cpu.GetProperty("Leaves").EnumerateObject().ToDictionary(p => p.Name, p => Registers(p.Value), StringComparer.OrdinalIgnoreCase),
                CpuIdError = Text(cpu, "Error"),
            };
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            throw new KvmTimeException(ErrorIds.WindowsClockUnreadable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.WindowsClockUnreadable, computerName, e.Message), e) { ComputerName = computerName };
        }
    }

    /// <summary>The ClocksourceInfo of a Windows machine, and the Windows part for its Windows property.</summary>
    public static (ClocksourceInfo Info, WindowsClockInfo Windows) Clocksource(WindowsClockFacts facts, string computerName)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var platformClock = Boolean(facts, BcdElements.UsePlatformClock);
        var policy = facts.BcdElements.TryGetValue(BcdElements.Key(BcdElements.TscSyncPolicy), out var p) && p.ValueKind == JsonValueKind.String
            && ulong.TryParse(p.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var raw) ? BcdElements.TscSyncPolicyName(raw) : null;
        var hyperv = HyperV(facts);
        var referenceTsc = hyperv?.Contains("reference-tsc") == true;
        var current = QpcSources.ShortName(facts.QpcFrequency);
        var invariant = InvariantTsc(facts);
        var available = new[] { current, invariant == true ? "tsc" : null, referenceTsc ? "hyperv_reference_tsc" : null }
            .OfType<string>().Where(s => s != "unknown").Distinct().ToList();

        var windows = new WindowsClockInfo
        {
            UsePlatformClock = platformClock,
            UsePlatformTick = Boolean(facts, BcdElements.UsePlatformTick),
            DisableDynamicTick = Boolean(facts, BcdElements.DisableDynamicTick),
            TscSyncPolicy = policy,
            BcdRead = facts.BcdRead,
            BcdError = facts.BcdRead ? null : BcdFailure(facts),
            QpcFrequency = facts.QpcFrequency,
            QpcSource = QpcSources.Describe(facts.QpcFrequency, referenceTsc),
            HypervisorVendor = Vendor(facts),
            HyperVEnlightenments = hyperv ?? [],
            HyperVClockVisible = hyperv is null ? (facts.CpuIdError is null ? false : null) : hyperv.Contains("reference-tsc") || hyperv.Contains("time-ref-count"),
            CpuIdError = facts.CpuIdError,
            OsVersion = facts.OsVersion,
        };
        var info = new ClocksourceInfo
        {
            ComputerName = computerName,
            Os = "Windows",
            Current = current,
            Available = available,
            IsVdsoCapable = QpcSources.IsUserModeReadable(facts.QpcFrequency),
            KernelArguments = BcdArguments(windows),
        };
        return (info, windows);
    }

    /// <summary>CPUID 0x80000007 EDX bit 8; null when CPUID was out of reach.</summary>
    public static bool? InvariantTsc(WindowsClockFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.Leaf(0x80000007) is { } leaf && facts.Leaf(0x80000000) is { } max && unchecked((uint)max[0]) >= 0x80000007
            ? HyperVCpuid.InvariantTsc(leaf[3])
            : null;
    }

    /// <summary>The bcdedit-style settings that pin the timer, like the kernel arguments on Linux.</summary>
    private static List<string> BcdArguments(WindowsClockInfo windows)
    {
        var arguments = new List<string>();
        void Add(string name, bool? value)
        {
            if (value is bool set)
            {
                arguments.Add($"{name}={(set ? "Yes" : "No")}");
            }
        }

        Add("useplatformclock", windows.UsePlatformClock);
        Add("useplatformtick", windows.UsePlatformTick);
        Add("disabledynamictick", windows.DisableDynamicTick);
        if (windows.TscSyncPolicy is not null)
        {
            arguments.Add("tscsyncpolicy=" + windows.TscSyncPolicy);
        }

        return arguments;
    }

    private static string? Vendor(WindowsClockFacts facts) =>
        facts.Leaf(1) is { } leaf1 && HyperVCpuid.HypervisorPresent(leaf1[2]) && facts.Leaf(0x40000000) is { } hv
            ? HyperVCpuid.Vendor(hv[1], hv[2], hv[3])
            : null;

    /// <summary>The Hyper-V features, only when the hypervisor speaks Hyper-V; null when CPUID was out of reach.</summary>
    private static List<string>? HyperV(WindowsClockFacts facts)
    {
        if (facts.CpuIdError is not null)
        {
            return null;
        }

        return Vendor(facts) == "Microsoft Hv" && facts.Leaf(0x40000003) is { } features ? HyperVCpuid.Features(features[0]).ToList() : [];
    }

    private static bool? Boolean(WindowsClockFacts facts, uint element) =>
        facts.BcdElements.TryGetValue(BcdElements.Key(element), out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    private static string BcdFailure(WindowsClockFacts facts) => facts.BcdErrorCode switch
    {
        "AccessDenied" => "Access denied: reading the BCD store needs an elevated (administrator) session.",
        "CommandNotFound" or "InvalidNamespace" or "InvalidClass" or "NotSupported" => $"The BCD WMI provider is not available here ({facts.BcdErrorCode}).",
        _ => $"The BCD store could not be read: {facts.BcdError} ({facts.BcdErrorCode ?? "no error code"}).",
    };

    /// <summary>EAX, EBX, ECX, EDX of one CPUID leaf: exactly four 32-bit numbers.</summary>
    private static int[] Registers(JsonElement leaf)
    {
        var registers = leaf.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        return registers.Length == 4 ? registers : throw new FormatException($"a CPUID leaf has {registers.Length} registers, not 4");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
