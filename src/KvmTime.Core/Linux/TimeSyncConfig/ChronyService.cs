using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>How chronyd is started, restarted or told to reload its sources, the way the target's distribution does it.</summary>
internal static class ChronyService
{
    /// <summary>chronyc reload sources (chrony 4.0+): re-reads the sourcedir files without a restart.</summary>
    public const string ReloadSources = "chronyc reload sources";

    public static string Restart(TimeSyncConfigFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Restart(facts.ServiceManager, facts.ChronyService ?? "chronyd", "chronyd", facts.ComputerName);
    }

    /// <summary>
    /// Starts a chronyd that is installed but not running, and enables it at boot where the service
    /// manager has a way to (systemd, OpenRC); an init script or service(8) is only started, since
    /// its boot links are the distribution's packaging tool's business.
    /// </summary>
    public static string Start(TimeSyncConfigFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var name = facts.ChronyService ?? "chronyd";
        return facts.ServiceManager switch
        {
            ServiceManager.Systemd => $"systemctl enable --now {name}.service",
            ServiceManager.OpenRc => $"rc-update add {name} default && rc-service {name} start",
            ServiceManager.InitScript => $"/etc/init.d/{name} start",
            ServiceManager.Service => $"service {name} start",
            _ => throw Unknown(facts.ComputerName, "chronyd"),
        };
    }

    public static string Restart(ServiceManager manager, string name, string daemon, string computerName) =>
        manager switch
        {
            ServiceManager.Systemd => $"systemctl restart {name}.service",
            ServiceManager.OpenRc => $"rc-service {name} restart",
            ServiceManager.InitScript => $"/etc/init.d/{name} restart",
            ServiceManager.Service => $"service {name} restart",
            _ => throw Unknown(computerName, daemon),
        };

    private static KvmTimeException Unknown(string computerName, string daemon) =>
        new(ErrorIds.TimeServiceUnknown, FailureKind.NotImplemented,
            string.Format(CultureInfo.InvariantCulture, Messages.TimeServiceUnknown, computerName, daemon))
        { ComputerName = computerName };
}
