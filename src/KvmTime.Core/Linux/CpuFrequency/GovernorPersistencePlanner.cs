using System.Globalization;
using KvmTime.Changes;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>
/// Decides how a machine keeps its governor across boots, by what it has installed, not by its name:
/// cpupower.service with /etc/sysconfig/cpupower (kernel-tools), the upstream cpupower.service with
/// cpupower-service.conf, or Debian's and Ubuntu's cpufrequtils init script with /etc/default/cpufrequtils.
/// Debian's linux-cpupower ships the cpupower program only, no service: such a machine gets an error
/// that says what to install.
/// </summary>
internal static class GovernorPersistencePlanner
{
    public const string CpupowerService = "cpupower.service";
    public const string CpufrequtilsService = "cpufrequtils";

    public static GovernorPersistencePlan Plan(GovernorRequest request, GovernorConfigFacts facts, DateTime utcNow, string computerName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        var stamp = ".kvmtime-" + utcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        if (facts.HasCpupowerUnit && facts.Sysconfig is { } sysconfig)
        {
            var value = StartOptions(ShellVariableLines.Value(sysconfig, "CPUPOWER_START_OPTS", GovernorConfigReader.SysconfigPath, computerName), request.Governor, computerName);
            var edited = ShellVariableLines.Set(sysconfig, "CPUPOWER_START_OPTS", value, GovernorConfigReader.SysconfigPath, computerName);
            return Systemd(request, facts, GovernorPersistenceMethod.CpupowerSysconfig, GovernorConfigReader.SysconfigPath, sysconfig, edited, new() { ["CPUPOWER_START_OPTS"] = value }, stamp, computerName);
        }

        if (facts.HasCpupowerUnit && facts.ServiceConfig is { } conf)
        {
            var edited = ShellVariableLines.Set(conf, "GOVERNOR", request.Governor, facts.ServiceConfigPath!, computerName);
            return Systemd(request, facts, GovernorPersistenceMethod.CpupowerServiceConfig, facts.ServiceConfigPath!, conf, edited, new() { ["GOVERNOR"] = request.Governor }, stamp, computerName);
        }

        if (facts.HasCpufrequtils)
        {
            // The init script exits early unless ENABLE is "true" (its own default when the file is absent).
            var old = facts.CpufrequtilsDefault;
            var path = GovernorConfigReader.CpufrequtilsPath;
            var edited = ShellVariableLines.Set(ShellVariableLines.Set(old ?? string.Empty, "ENABLE", "true", path, computerName), "GOVERNOR", request.Governor, path, computerName);
            var file = Planned(request, path, old, edited, new() { ["ENABLE"] = "true", ["GOVERNOR"] = request.Governor }, stamp);
            return new GovernorPersistencePlan(GovernorPersistenceMethod.Cpufrequtils, request.PathOf(path), file, CpufrequtilsService, facts.CpufrequtilsEnabled,
                facts.CpufrequtilsEnabled ? null : GovernorConfigReader.EnableCommand(GovernorPersistenceMethod.Cpufrequtils, request));
        }

        throw new KvmTimeException(ErrorIds.GovernorPersistenceUnavailable, FailureKind.ObjectNotFound,
            string.Format(CultureInfo.InvariantCulture, Messages.GovernorPersistenceUnavailable, computerName, facts.PrettyName, Advice(facts)))
        { ComputerName = computerName };
    }

    private static GovernorPersistencePlan Systemd(GovernorRequest request, GovernorConfigFacts facts, GovernorPersistenceMethod method, string path, string old, string edited, Dictionary<string, string> expected, string stamp, string computerName)
    {
        if (!facts.HasSystemctl)
        {
            throw new KvmTimeException(ErrorIds.GovernorPersistenceUnavailable, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.GovernorPersistenceNoSystemctl, computerName))
            { ComputerName = computerName };
        }

        var enabled = facts.CpupowerEnabled is "enabled" or "enabled-runtime" or "alias" or "linked";
        return new GovernorPersistencePlan(method, request.PathOf(path), Planned(request, path, old, edited, expected, stamp), CpupowerService, enabled,
            enabled ? null : GovernorConfigReader.EnableCommand(method, request));
    }

    // Unchanged text needs no write and no backup; the target's sh must read the new text as planned.
    private static PlannedFile? Planned(GovernorRequest request, string path, string? old, string edited, Dictionary<string, string> expected, string stamp)
    {
        if (old == edited)
        {
            return null;
        }

        var full = request.PathOf(path);
        return new PlannedFile(full, old, edited, old is null ? null : full + stamp) { ShellCheck = new ShellCheck(expected) };
    }

    /// <summary>CPUPOWER_START_OPTS with the governor: -g/--governor replaced, or added to frequency-set.</summary>
    internal static string StartOptions(string? current, string governor, string computerName)
    {
        var words = (current ?? string.Empty).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (words.Count == 0)
        {
            return $"frequency-set -g {governor}";
        }

        if (words[0] != "frequency-set")
        {
            throw new KvmTimeException(ErrorIds.GovernorConfigNotEditable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.GovernorConfigNotFrequencySet, computerName, GovernorConfigReader.SysconfigPath, current))
            { ComputerName = computerName };
        }

        var flag = words.FindIndex(w => w is "-g" or "--governor");
        if (flag >= 0 && flag + 1 < words.Count)
        {
            words[flag + 1] = governor;
        }
        else
        {
            words.InsertRange(1, ["-g", governor]);
        }

        return string.Join(' ', words);
    }

    private static string Advice(GovernorConfigFacts facts)
    {
        if (facts.IsDebianFamily)
        {
            return "Debian's linux-cpupower ships only the cpupower program, no service; install cpufrequtils where the release still carries it (Debian 12 does: its init script reads /etc/default/cpufrequtils), or a cpupower whose package installs upstream's cpupower.service and cpupower-service.conf (added to the kernel's tools in 2025).";
        }

        var rhel = facts.Distribution.Split(' ').Any(d => d is "rhel" or "fedora" or "centos");
        return rhel
            ? "Install kernel-tools: it ships cpupower.service and /etc/sysconfig/cpupower."
            : "Install the package that ships cpupower.service and its configuration (cpupower or kernel-tools on most distributions).";
    }
}
