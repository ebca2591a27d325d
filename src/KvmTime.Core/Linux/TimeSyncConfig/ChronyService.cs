using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>How chronyd is restarted or told to reload its sources, the way the target's distribution does it.</summary>
internal static class ChronyService
{
    /// <summary>chronyc reload sources (chrony 4.0+): re-reads the sourcedir files without a restart.</summary>
    public const string ReloadSources = "chronyc reload sources";

    public static string Restart(TimeSyncConfigFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Restart(facts.ServiceManager, facts.ChronyService ?? "chronyd", "chronyd", facts.ComputerName);
    }

    public static string Restart(ServiceManager manager, string name, string daemon, string computerName) =>
        manager switch
        {
            ServiceManager.Systemd => $"systemctl restart {name}.service",
            ServiceManager.OpenRc => $"rc-service {name} restart",
            ServiceManager.InitScript => $"/etc/init.d/{name} restart",
            ServiceManager.Service => $"service {name} restart",
            _ => throw new KvmTimeException(ErrorIds.TimeServiceUnknown, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.TimeServiceUnknown, computerName, daemon))
            { ComputerName = computerName },
        };
}
