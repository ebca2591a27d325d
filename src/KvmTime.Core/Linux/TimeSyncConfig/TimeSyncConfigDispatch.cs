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
                $"{name}: systemd-timesyncd keeps time here. It is an SNTP client: it cannot read a PHC reference clock such as ptp_kvm, and it has no makestep or rtcsync settings. "
                + "Install chrony (it replaces timesyncd: apt install chrony, dnf install chrony), then run Set-GuestTimeSync again. Nothing was changed.")
            { ComputerName = name };
        }

        throw new KvmTimeException(ErrorIds.ChronyNotInstalled, FailureKind.ObjectNotFound,
            $"{name}: no chrony.conf ({GuestTimeSyncReader.ChronyConfDebian} or {GuestTimeSyncReader.ChronyConfRedHat}) and no running ntpd. Install chrony and run Set-GuestTimeSync again. Nothing was changed.")
        { ComputerName = name };
    }
}
