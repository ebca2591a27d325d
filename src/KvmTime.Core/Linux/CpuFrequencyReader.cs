using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>
/// Gathers every CPU's cpufreq files in one "grep ." (path:value lines, the form bug reports
/// quote) plus the first CPU of /proc/cpuinfo, and understands them.
/// </summary>
internal static partial class CpuFrequencyReader
{
    public const string GrepCommand = "grep . /sys/devices/system/cpu/cpu[0-9]*/cpufreq/* 2>/dev/null; exit 0";

    public static GatherRequest Request() => new GatherRequest()
        .Command("cpufreq", GrepCommand)
        .FileFirstBlock("cpuinfo", "/proc/cpuinfo");

    /// <summary>The same files under another root (a recorded sysfs tree in a test); paths come back relative to it.</summary>
    public static GatherRequest Request(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        return root == "/" ? Request() : new GatherRequest()
            .Command("cpufreq", $"cd {ShellQuote.Single(root)} && grep . sys/devices/system/cpu/cpu[0-9]*/cpufreq/* 2>/dev/null; exit 0")
            .FileFirstBlock("cpuinfo", root.TrimEnd('/') + "/proc/cpuinfo");
    }

    public static CpuFrequencyPolicy Parse(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        return Parse(gathered.TextOrNull("cpufreq") ?? string.Empty, CpuInfo.Parse(gathered.TextOrNull("cpuinfo") ?? string.Empty), computerName);
    }

    /// <param name="grepOutput">"grep . .../cpuN/cpufreq/*" output: one "path:value" per line.</param>
    public static CpuFrequencyPolicy Parse(string grepOutput, CpuInfo? cpu, string computerName)
    {
        ArgumentNullException.ThrowIfNull(grepOutput);
        var files = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var line in grepOutput.Split('\n'))
        {
            if (FileLine().Match(line.TrimEnd('\r')) is { Success: true } m)
            {
                var n = int.Parse(m.Groups["cpu"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                if (!files.TryGetValue(n, out var cpuFiles))
                {
                    files[n] = cpuFiles = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                cpuFiles.TryAdd(m.Groups["file"].Value, m.Groups["value"].Value.Trim());
            }
        }

        var cpus = files.Select(f => Cpu(f.Key, f.Value)).ToList();
        bool? constant = cpu?.Has("constant_tsc");
        bool? moves = constant is { } c ? !c : null;
        return new CpuFrequencyPolicy
        {
            ComputerName = computerName,
            HasCpufreq = cpus.Count > 0,
            Drivers = Distinct(cpus.Select(x => x.Driver)),
            Governors = Distinct(cpus.Select(x => x.Governor)),
            AvailableGovernors = Distinct(cpus.SelectMany(x => x.AvailableGovernors)),
            MinMHz = Min(cpus.Select(x => x.ScalingMinMHz)),
            MaxMHz = Max(cpus.Select(x => x.ScalingMaxMHz)),
            HardwareMinMHz = Min(cpus.Select(x => x.HardwareMinMHz)),
            HardwareMaxMHz = Max(cpus.Select(x => x.HardwareMaxMHz)),
            Cpus = cpus,
            ConstantTsc = constant,
            FrequencyCanMoveTsc = moves,
            Summary = Summarize(cpus, constant),
        };
    }

    private static string Summarize(List<CpuFrequencyCpu> cpus, bool? constantTsc)
    {
        var tsc = constantTsc switch
        {
            true => "constant_tsc is set, so no frequency change moves the TSC's rate: the governor does not matter for timekeeping.",
            false when cpus.Count == 0 => "constant_tsc is missing, so the TSC's rate follows the frequency of the CPUs that run this machine: on its host, pin the frequency (Set-CpuFrequencyPolicy -Governor performance -Persistent) or limit C-states, and do not use tsc as the clocksource here.",
            false => "constant_tsc is missing, so the TSC's rate follows the core frequency: pin it (Set-CpuFrequencyPolicy -Governor performance -Persistent) or limit C-states, and do not use tsc as the clocksource.",
            null => "/proc/cpuinfo had no flags line, so whether a frequency change moves the TSC is unknown.",
        };
        if (cpus.Count == 0)
        {
            return $"No cpufreq: this machine exposes no CPU frequency scaling (no /sys/devices/system/cpu/cpu*/cpufreq), as in most guests; there is no governor to set. {tsc}";
        }

        var fixedGovernor = cpus.All(c => c.Governor == "performance");
        return $"{cpus.Count} CPU(s) under {string.Join(", ", Distinct(cpus.Select(c => c.Driver)))}, governor {string.Join(", ", Distinct(cpus.Select(c => c.Governor)))}{(fixedGovernor ? " (frequency held high)" : " (frequency varies with load)")}. {tsc}";
    }

    private static CpuFrequencyCpu Cpu(int n, Dictionary<string, string> f) => new()
    {
        Cpu = n,
        Driver = f.GetValueOrDefault("scaling_driver"),
        Governor = f.GetValueOrDefault("scaling_governor"),
        AvailableGovernors = (f.GetValueOrDefault("scaling_available_governors") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
        HardwareMinMHz = MHz(f, "cpuinfo_min_freq"),
        HardwareMaxMHz = MHz(f, "cpuinfo_max_freq"),
        ScalingMinMHz = MHz(f, "scaling_min_freq"),
        ScalingMaxMHz = MHz(f, "scaling_max_freq"),
        CurrentMHz = MHz(f, "scaling_cur_freq") ?? MHz(f, "cpuinfo_cur_freq"),
    };

    // sysfs gives kHz; "<unsupported>" and other text are not frequencies.
    private static double? MHz(Dictionary<string, string> files, string name) =>
        files.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var khz) ? khz / 1000.0 : null;

    private static List<string> Distinct(IEnumerable<string?> values) =>
        values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).ToList();

    private static double? Min(IEnumerable<double?> values) => values.Where(v => v is not null).Min();

    private static double? Max(IEnumerable<double?> values) => values.Where(v => v is not null).Max();

    [GeneratedRegex(@"^/?sys/devices/system/cpu/cpu(?<cpu>\d+)/cpufreq/(?<file>[a-z_]+):(?<value>.*)$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex FileLine();
}
