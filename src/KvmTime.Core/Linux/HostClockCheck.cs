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
                $"no chronyd, ntpd or systemd-timesyncd runs on {computerName}, so nothing says its clock is right; its time is copied to guests unchecked. Run a time daemon on every KVM host.");
        }

        if (!StatusReadable(gathered, status.Daemon))
        {
            return new(HostClockState.Unknown, status.Daemon,
                $"{status.Daemon} runs on {computerName}, but its status could not be read (not this host's own daemon, or no access), so its time is copied to guests unchecked.");
        }

        return status.IsSynchronized
            ? new(HostClockState.Synchronized, status.Daemon, $"{computerName}: {status.Daemon} is synchronized to {status.Source ?? "its source"}.")
            : new(HostClockState.NotSynchronized, status.Daemon,
                $"{computerName} is not synchronized ({status.Daemon}: leap status {status.LeapStatus ?? "unknown"}, source {status.Source ?? "none"}), so copying its time would spread a wrong clock to every guest. Fix the host's time first ('chronyc sources', 'timedatectl timesync-status' or 'ntpq -p'), or pass -Force to copy it anyway.");
    }

    private static bool StatusReadable(GatherResult gathered, string daemon) => daemon switch
    {
        "chronyd" => gathered.Get("chrony_tracking") is { Succeeded: true } tracking && ChronyTracking.Parse(tracking.Text) is not null,
        "ntpd" or "ntpsec" => gathered.Get("ntpq_peers") is { Succeeded: true, Text.Length: > 0 },
        _ => Timedatectl.ParseShow(gathered.TextOrNull("timedatectl_show") ?? string.Empty).ContainsKey("NTPSynchronized"),
    };
}
