using System.Text;

namespace KvmTime.Linux;

/// <summary>Parses a kernel command line the way the kernel's own parse_args() splits it.</summary>
internal static class KernelCommandLine
{
    /// <summary>The arguments that decide or constrain the clocksource and idle states.</summary>
    private static readonly HashSet<string> TimingArguments = new(StringComparer.Ordinal)
    {
        "clocksource", "clock", "tsc", "notsc", "no-kvmclock", "no-kvmclock-vsyscall", "nohpet", "hpet",
        "hpet_mmap", "tsc_early_khz", "lpj", "no_timer_check", "processor.max_cstate", "intel_idle.max_cstate",
        "idle", "nohz", "highres", "clocksource.max_cswd_read_retries", "clocksource.verify_n_cpus",
        "kvm-clock", "pvclock", "cpuidle.off", "cpufreq.off", "intel_pstate",
    };

    /// <summary>Splits a command line into arguments. Everything after a bare "--" belongs to init and is left out.</summary>
    public static IReadOnlyList<KernelArgument> Parse(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var arguments = new List<KernelArgument>();
        foreach (var token in Tokenize(commandLine))
        {
            if (token == "--")
            {
                break;
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            arguments.Add(equals < 0
                ? new KernelArgument(token, null)
                : new KernelArgument(token[..equals], token[(equals + 1)..]));
        }

        return arguments;
    }

    /// <summary>Just the timing-related arguments, in command-line order.</summary>
    public static IReadOnlyList<KernelArgument> TimingOnly(IEnumerable<KernelArgument> arguments) =>
        arguments.Where(a => TimingArguments.Contains(a.Name)).ToList();

    /// <summary>The last value of an argument (the kernel honours the last one), or null when absent.</summary>
    public static KernelArgument? Last(IEnumerable<KernelArgument> arguments, string name) =>
        arguments.LastOrDefault(a => a.Name == name);

    // Double quotes group spaces; the quotes themselves are dropped, as in the kernel's next_arg().
    private static IEnumerable<string> Tokenize(string commandLine)
    {
        var current = new StringBuilder();
        var inQuotes = false;
        var hasToken = false;
        foreach (var c in commandLine)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
                hasToken = true;
            }
            else if (!inQuotes && char.IsWhiteSpace(c))
            {
                if (hasToken)
                {
                    yield return current.ToString();
                    current.Clear();
                    hasToken = false;
                }
            }
            else
            {
                current.Append(c);
                hasToken = true;
            }
        }

        if (hasToken)
        {
            yield return current.ToString();
        }
    }
}
