using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>
/// Before the host's time is copied to guests: is the host itself synchronized? Read from the same
/// one-round-trip status Get-GuestTimeSync reads on a guest (chronyd, ntpd or systemd-timesyncd).
/// A daemon whose status cannot be read is Unknown, not unsynchronized: only a daemon's own
/// "not synchronized" refuses.
/// </summary>
internal static class HostClockCheck
{
    public static GatherRequest Request() => GuestTimeSyncReader.Request();

    public static HostClockVerdict Judge(GatherResult gathered, string computerName)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        var status = GuestTimeSyncReader.Parse(gathered, computerName);
        if (status.Daemon == "None")
        {
            return new(HostClockState.Unknown, status.Daemon,
                string.Format(CultureInfo.InvariantCulture, Messages.HostClockNoDaemon, computerName));
        }

        if (!StatusReadable(gathered, status.Daemon))
        {
            return new(HostClockState.Unknown, status.Daemon,
                string.Format(CultureInfo.InvariantCulture, Messages.HostClockStatusUnreadable, status.Daemon, computerName));
        }

        return status.IsSynchronized
            ? new(HostClockState.Synchronized, status.Daemon, string.Format(CultureInfo.InvariantCulture, Messages.HostClockSynchronized, computerName, status.Daemon, status.Source ?? Messages.HostClockItsSource))
            : new(HostClockState.NotSynchronized, status.Daemon,
                string.Format(CultureInfo.InvariantCulture, Messages.HostNotSynchronized, computerName, status.Daemon, status.LeapStatus ?? Messages.HostClockLeapUnknown, status.Source ?? Messages.NoSourcesReported));
    }

    private static bool StatusReadable(GatherResult gathered, string daemon) => daemon switch
    {
        "chronyd" => gathered.Get("chrony_tracking") is { Succeeded: true } tracking && ChronyTracking.Parse(tracking.Text) is not null,
        "ntpd" or "ntpsec" => gathered.Get("ntpq_peers") is { Succeeded: true, Text.Length: > 0 },
        _ => Timedatectl.ParseShow(gathered.TextOrNull("timedatectl_show") ?? string.Empty).ContainsKey("NTPSynchronized"),
    };
}
