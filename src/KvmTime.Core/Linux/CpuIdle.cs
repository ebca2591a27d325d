using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>One cpuidle state of one CPU: /sys/devices/system/cpu/cpuN/cpuidle/stateM.</summary>
internal sealed record IdleState(string Path, int Cpu, int Index, string Name, bool Disabled);

/// <summary>The cpuidle driver and every CPU's idle states (Documentation/admin-guide/pm/cpuidle.rst).</summary>
internal sealed partial class CpuIdle
{
    public const string DriverPath = "/sys/devices/system/cpu/cpuidle/current_driver";

    // Two one-line attributes per state, read with the shell's own read: no process per file (a
    // 2-CPU guest has 8 of them, a 64-CPU host hundreds).
    private const string StatesCommand =
        "for d in /sys/devices/system/cpu/cpu[0-9]*/cpuidle/state[0-9]*; do [ -d \"$d\" ] || continue; " +
        "kt_x=; kt_y=; IFS= read -r kt_x 2>/dev/null <\"$d/disable\"; IFS= read -r kt_y 2>/dev/null <\"$d/name\"; " +
        "printf '%s %s %s\\n' \"$d\" \"$kt_x\" \"$kt_y\"; done; exit 0";

    /// <summary>intel_idle, acpi_idle, haltpoll, or none.</summary>
    public required string Driver { get; init; }

    public required IReadOnlyList<IdleState> States { get; init; }

    public static GatherRequest AddTo(GatherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.File("idle-driver", DriverPath).Command("idle-states", StatesCommand);
    }

    public static CpuIdle Parse(GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var driver = gathered.TextOrNull("idle-driver")?.Trim();
        var states = new List<IdleState>();
        foreach (var line in (gathered.TextOrNull("idle-states") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            var match = StatePath().Match(parts[0]);
            if (parts.Length >= 2 && match.Success)
            {
                states.Add(new IdleState(parts[0], Number(match.Groups["cpu"].Value), Number(match.Groups["state"].Value),
                    parts.Length == 3 ? parts[2].Trim() : string.Empty, parts[1].Trim() is not ("0" or "")));
            }
        }

        return new CpuIdle { Driver = string.IsNullOrEmpty(driver) ? "none" : driver, States = states };
    }

    /// <summary>
    /// The states deeper than <paramref name="maxCState"/> on every CPU. State indexes count like both drivers'
    /// max_cstate (state0 is polling, state1 the first real C-state), and 0 keeps C1 as acpi_idle does.
    /// </summary>
    public IEnumerable<IdleState> DeeperThan(int maxCState) => States.Where(s => s.Index > Math.Max(1, maxCState));

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^/sys/devices/system/cpu/cpu(?<cpu>[0-9]{1,5})/cpuidle/state(?<state>[0-9]{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex StatePath();
}
