using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>Picks what Set-GuestTimeSync configures from the daemon that runs, and says plainly what it cannot do.</summary>
internal static class TimeSyncConfigDispatch
{
    public static TimeSyncConfigPlan Plan(TimeSyncConfigFacts facts, TimeSyncConfigRequest request, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        var name = facts.ComputerName;
        var running = facts.RunningDaemons;
        if (facts.ChronyConf is not null && (running.Contains("chronyd") || running.Count == 0))
        {
            return ChronyConfigPlanner.Plan(facts, request, utcNow);
        }

        if (running.Contains("ntpd"))
        {
            return NtpConfigPlanner.Plan(facts, request, utcNow);
        }

        if (running.Contains("systemd-timesyncd"))
        {
            throw new KvmTimeException(request.PtpKvm ? ErrorIds.TimesyncdCannotUsePhc : ErrorIds.TimesyncdNotSupported, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.TimesyncdCannotConfigure, name))
            { ComputerName = name };
        }

        throw new KvmTimeException(ErrorIds.ChronyNotInstalled, FailureKind.ObjectNotFound,
            string.Format(CultureInfo.InvariantCulture, Messages.ChronyNotInstalled, name, GuestTimeSyncReader.ChronyConfDebian, GuestTimeSyncReader.ChronyConfRedHat))
        { ComputerName = name };
    }
}
