namespace KvmTime.Linux;

/// <summary>The parts of one CPU's /proc/cpuinfo block that matter for timekeeping.</summary>
internal sealed class CpuInfo
{
    public string Vendor { get; init; } = string.Empty;

    public string ModelName { get; init; } = string.Empty;

    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>();

    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>Parses the first processor block of /proc/cpuinfo. Returns null when it has no flags line.</summary>
    public static CpuInfo? Parse(string cpuinfo)
    {
        ArgumentNullException.ThrowIfNull(cpuinfo);
        string vendor = string.Empty, model = string.Empty;
        HashSet<string>? flags = null;
        foreach (var rawLine in cpuinfo.Split('\n'))
        {
            if (rawLine.Trim().Length == 0 && flags is not null)
            {
                break; // end of the first processor's block
            }

            var colon = rawLine.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = rawLine[..colon].Trim();
            var value = rawLine[(colon + 1)..].Trim();
            switch (name)
            {
                case "vendor_id":
                    vendor = value;
                    break;
                case "model name":
                    model = value;
                    break;
                case "flags":
                    flags = new HashSet<string>(value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
                    break;
            }
        }

        return flags is null ? null : new CpuInfo { Vendor = vendor, ModelName = model, Flags = flags };
    }
}
