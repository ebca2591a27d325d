using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>Gathers (in the same round trip as the cpufreq files) and reads what a machine has for setting the governor at boot.</summary>
internal static class GovernorConfigReader
{
    public const string SysconfigPath = "/etc/sysconfig/cpupower";
    public const string CpufrequtilsPath = "/etc/default/cpufrequtils";

    /// <summary>Where the upstream service's configuration lands: its Makefile's default, and Arch's confdir.</summary>
    public static readonly string[] ServiceConfigPaths = ["/etc/cpupower-service.conf", "/etc/default/cpupower-service.conf"];

    public static GatherRequest AddTo(GatherRequest gather, GovernorRequest request)
    {
        ArgumentNullException.ThrowIfNull(gather);
        ArgumentNullException.ThrowIfNull(request);
        gather.File("osrelease", request.PathOf("/etc/os-release"))
            .File("cpupowersysconfig", request.PathOf(SysconfigPath))
            .File("cpufrequtils", request.PathOf(CpufrequtilsPath));
        for (var i = 0; i < ServiceConfigPaths.Length; i++)
        {
            gather.File($"cpupowerconf{i}", request.PathOf(ServiceConfigPaths[i]));
        }

        return gather.Command("governorsystem", SystemScript(request));
    }

    public static GovernorConfigFacts Parse(GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var system = (gathered.TextOrNull("governorsystem") ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries);
        var os = OsRelease(gathered.TextOrNull("osrelease") ?? string.Empty);
        var conf = Enumerable.Range(0, ServiceConfigPaths.Length).FirstOrDefault(i => gathered.TextOrNull($"cpupowerconf{i}") is not null, -1);
        return new GovernorConfigFacts
        {
            Distribution = $"{os.GetValueOrDefault("ID")} {os.GetValueOrDefault("ID_LIKE")}".Trim(),
            PrettyName = os.GetValueOrDefault("PRETTY_NAME") ?? os.GetValueOrDefault("ID") ?? "this Linux",
            Sysconfig = gathered.TextOrNull("cpupowersysconfig"),
            ServiceConfig = conf < 0 ? null : gathered.TextOrNull($"cpupowerconf{conf}"),
            ServiceConfigPath = conf < 0 ? null : ServiceConfigPaths[conf],
            CpufrequtilsDefault = gathered.TextOrNull("cpufrequtils"),
            HasCpupowerUnit = system.Contains("unit=cpupower"),
            CpupowerEnabled = system.FirstOrDefault(l => l.StartsWith("systemctl=", StringComparison.Ordinal))?["systemctl=".Length..],
            HasCpufrequtils = system.Contains("init=cpufrequtils"),
            CpufrequtilsEnabled = system.Contains("rc=cpufrequtils"),
            HasOndemandScript = system.Contains("init=ondemand"),
            HasSystemctl = system.Any(l => l.StartsWith("systemctl=", StringComparison.Ordinal)),
        };
    }

    /// <summary>The command that enables the service, under the request's root (systemctl --root writes the links offline).</summary>
    public static string EnableCommand(GovernorPersistenceMethod method, GovernorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (method == GovernorPersistenceMethod.Cpufrequtils)
        {
            // update-rc.d knows no root: a test tree never gets this command.
            return request.Root == "/"
                ? "update-rc.d cpufrequtils defaults >/dev/null && update-rc.d cpufrequtils enable"
                : throw new ArgumentException("update-rc.d cannot work under another root.", nameof(request));
        }

        return $"systemctl{RootOption(request)} enable cpupower.service";
    }

    private static string SystemScript(GovernorRequest request)
    {
        var units = string.Join(' ', new[] { "/usr/lib/systemd/system", "/lib/systemd/system", "/etc/systemd/system" }.Select(d => ShellQuote.Single(request.PathOf(d) + "/cpupower.service")));
        var init = ShellQuote.Single(request.PathOf("/etc/init.d"));
        var rc = string.Join(' ', new[] { 2, 3, 4, 5 }.Select(n => ShellQuote.Single(request.PathOf($"/etc/rc{n}.d")) + "/S*cpufrequtils"));
        return $"for u in {units}; do [ -e \"$u\" ] && echo unit=cpupower; done\n"
            + $"[ -e {init}/cpufrequtils ] && echo init=cpufrequtils\n"
            + $"[ -e {init}/ondemand ] && echo init=ondemand\n"
            + $"for l in {rc}; do [ -e \"$l\" ] && echo rc=cpufrequtils; done\n"
            + $"command -v systemctl >/dev/null 2>&1 && echo \"systemctl=$(systemctl{RootOption(request)} is-enabled cpupower.service 2>/dev/null)\"\n"
            + "exit 0";
    }

    private static string RootOption(GovernorRequest request) => request.Root == "/" ? string.Empty : " --root=" + ShellQuote.Single(request.Root);

    private static Dictionary<string, string> OsRelease(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !line.StartsWith('#'))
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }

        return values;
    }
}
