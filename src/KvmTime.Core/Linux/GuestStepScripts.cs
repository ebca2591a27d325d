namespace KvmTime.Linux;

/// <summary>
/// The fixed shell steps that make a Linux time daemon step the clock, run in order in one round
/// trip. Nothing here takes user input.
/// </summary>
internal static class GuestStepScripts
{
    /// <summary>Waits (at most 12 s) until chronyd has a sample at most 2 s old from a reachable source.</summary>
    public const string ChronyWaitForSample =
        "i=0; while [ $i -lt 12 ]; do sleep 1; chronyc -n -c sources 2>/dev/null | awk -F, '$6 != \"0\" && $7 != \"-\" && $7+0 <= 2 {f=1} END {exit !f}' && break; i=$((i+1)); done; true";

    public const string ChronyBurst = "chronyc burst 4/4 && " + ChronyWaitForSample;

    public const string ChronyConfirmBurst = "sleep 1; chronyc burst 2/2 && " + ChronyWaitForSample;

    /// <summary>
    /// makestep applies chronyd's current estimate. Right after a big jump chronyd may still be
    /// rebuilding that estimate from the new samples, so step again (at most 6 times) until the
    /// selected source's last sample is within 1 s. Prints the last makestep reply.
    /// </summary>
    public const string ChronyMakestep =
        "r=$(chronyc makestep); i=0; while [ $i -lt 6 ]; do "
        + "chronyc -n -c sources 2>/dev/null | awk -F, '$2 == \"*\" { o = $8 + 0; if (o < 0) o = -o; if (o < 1) f = 1 } END { exit !f }' && break; "
        + "chronyc burst 2/2 >/dev/null 2>&1; sleep 2; r=$(chronyc makestep); i=$((i+1)); done; echo \"$r\"";

    /// <summary>
    /// ntpd's own step: stop the daemon (it holds UDP port 123), run ntpd -gq with its configuration
    /// (-g allows a step beyond the 1000 s panic limit, -q exits after setting), start the daemon again.
    /// </summary>
    public const string NtpdStep =
        "svc=''; for s in ntpsec ntp ntpd; do "
        + "if [ -d /run/systemd/system ]; then systemctl is-active --quiet \"$s\" && svc=$s && break; "
        + "elif [ -x \"/etc/init.d/$s\" ]; then svc=$s; break; fi; done\n"
        + "[ -n \"$svc\" ] || { echo 'no ntp service found'; exit 3; }\n"
        + "echo \"service=$svc\"\n"
        + "if [ -d /run/systemd/system ]; then systemctl stop \"$svc\"; else \"/etc/init.d/$svc\" stop; fi\n"
        + "timeout 60 ntpd -gq 2>&1; rc=$?\n"
        + "if [ -d /run/systemd/system ]; then systemctl start \"$svc\"; else \"/etc/init.d/$svc\" start; fi\n"
        + "exit $rc";

    /// <summary>Waits (at most 30 s) for the restarted ntpd to have a reachable peer with a sample.</summary>
    public const string NtpdWaitForPeer =
        "i=0; while [ $i -lt 30 ]; do sleep 1; ntpq -pn 2>/dev/null | awk 'NR > 2 && $7 != \"0\" && substr($0,1,1) ~ /[*o+]/ {f=1} END {exit !f}' && break; i=$((i+1)); done; true";

    public const string TimesyncdRestart = "systemctl restart systemd-timesyncd";

    /// <summary>Prints timesync-status once timesyncd has received at least <c>$1</c> packets (at most 45 s).</summary>
    public static string TimesyncdWaitForPackets(int packets) =>
        "i=0; while [ $i -lt 45 ]; do sleep 1; n=$(timedatectl timesync-status 2>/dev/null | sed -n 's/^ *Packet count: *//p'); "
        + $"[ \"${{n:-0}}\" -ge {packets} ] && break; i=$((i+1)); done; timedatectl timesync-status";
}
