namespace KvmTime.Linux;

/// <summary>How a guest steps its own clock. Auto picks the daemon that runs (chronyd, then ntpd, then systemd-timesyncd).</summary>
public enum GuestSyncMethod
{
    Auto,
    Chrony,
    Ntpd,
    Timesyncd,

    /// <summary>Windows Time service: w32tm /resync /force.</summary>
    W32Time,
}
