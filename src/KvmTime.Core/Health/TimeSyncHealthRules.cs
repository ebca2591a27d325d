using System.Globalization;
using KvmTime.Linux;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Model;

namespace KvmTime.Health;

/// <summary>The time daemon findings of a Linux target: is one running, synchronised, close, and set up for a VM.</summary>
internal static class TimeSyncHealthRules
{
    /// <summary>Beyond this the clock is wrong now, not just at risk.</summary>
    public static readonly TimeSpan LargeOffsetLimit = TimeSpan.FromSeconds(1);

    public static IEnumerable<HealthFinding> Evaluate(LinuxHealthFacts facts, FixCommand fix)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(fix);
        var sync = facts.TimeSync;
        if (sync.Daemon == "None")
        {
            // Set-GuestTimeSync starts chronyd only where it finds the binary, chrony.conf and a service it can start.
            var startable = facts.ChronydStartable && facts.ChronyConfig is not null;
            yield return new HealthFinding
            {
                Id = HealthFindingIds.NoTimeDaemon,
                Severity = HealthFindingSeverity.Critical,
                Message = "No time daemon runs (chronyd, ntpd or systemd-timesyncd), so nothing corrects the clock after a pause, restore or migration. "
                    + (startable ? "chrony is installed but chronyd is stopped: Set-GuestTimeSync -Preset Vm starts it, enables it at boot and sets it up for a VM." : "Install chrony, then run Set-GuestTimeSync -Preset Vm."),
                Evidence = "/proc/*/comm: none of chronyd, ntpd, systemd-timesyncd running",
                EvidenceSource = GuestTimeSyncReader.RunningDaemonsCommand,
                Fix = startable ? fix.For("Set-GuestTimeSync", ("Preset", "Vm")) : null,
            };
        }
        else if (!sync.IsSynchronized)
        {
            yield return sync.IsKvmHost
                ? new HealthFinding
                {
                    Id = HealthFindingIds.HostNotSynchronized,
                    Severity = HealthFindingSeverity.Critical,
                    Message = $"This KVM host's own {sync.Daemon} is not synchronised: its guests are started, resumed and stepped from a clock nobody corrects.",
                    Evidence = StatusEvidence(sync),
                    EvidenceSource = StatusSource(sync.Daemon),
                }
                : new HealthFinding
                {
                    Id = HealthFindingIds.TimeNotSynchronized,
                    Severity = HealthFindingSeverity.Warning,
                    Message = $"{sync.Daemon} runs but follows no time source, so the clock drifts freely.",
                    Evidence = StatusEvidence(sync),
                    EvidenceSource = StatusSource(sync.Daemon),
                };
        }

        if (sync.Offset is { } offset && offset.Duration() > LargeOffsetLimit)
        {
            yield return new HealthFinding
            {
                Id = HealthFindingIds.LargeOffset,
                Severity = HealthFindingSeverity.Critical,
                Message = $"The clock is {Seconds(offset)} s {(offset > TimeSpan.Zero ? "ahead" : "behind")}, as {sync.Daemon} estimates it: more than {LargeOffsetLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s, so logs, tokens and leases are wrong now.",
                Evidence = $"offset {Seconds(offset)} s",
                EvidenceSource = StatusSource(sync.Daemon),
                Fix = fix.For("Sync-GuestTime"),
            };
        }

        if (facts.ChronyConfig is { } config && (sync.Daemon is "chronyd" or "None"))
        {
            foreach (var finding in Chrony(config, facts.ChronyConfigPath ?? GuestTimeSyncReader.ChronyConfDebian, fix))
            {
                yield return finding;
            }
        }
    }

    private static IEnumerable<HealthFinding> Chrony(string config, string path, FixCommand fix)
    {
        if (ChronyConfigAdvisor.UnsuitableMakestep(config) is { } makestep)
        {
            yield return new HealthFinding
            {
                Id = HealthFindingIds.MakestepMissing,
                Severity = HealthFindingSeverity.Warning,
                Message = makestep.Length == 0
                    ? "chrony has no makestep, so it only slews: a VM resumed or migrated with a wrong clock takes hours to come right. VMs need 'makestep 1 -1'."
                    : $"'{makestep}' steps the clock only just after chronyd starts: a VM resumed or migrated later is slewed for hours. VMs need 'makestep 1 -1'.",
                Evidence = makestep.Length == 0 ? "no makestep line" : makestep,
                EvidenceSource = path,
                Fix = fix.For("Set-GuestTimeSync", ("Preset", "Vm")),
            };
        }

        var directives = ChronyDirective.Parse(config);
        var network = directives.Where(d => d.IsNetworkSource && d.Args.Count > 0).ToList();
        var phcs = directives.Select(d => d.PhcDevice).OfType<string>().Select(d => "PHC " + d);
        if (LeapSmearingServices.MixingProblem(network.Select(d => d.Args[0]).Concat(phcs)) is { } problem)
        {
            var unsmeared = network.Where(d => LeapSmearingServices.OperatorOf(d.Args[0]) is null).ToList();
            var servers = unsmeared.Where(d => d.Name != "pool").Select(d => d.Args[0]).ToList();
            var pools = unsmeared.Where(d => d.Name == "pool").Select(d => d.Args[0]).ToList();
            var parameters = new List<(string, string?)>();
            if (servers.Count > 0)
            {
                parameters.Add(("Server", string.Join(',', servers)));
            }

            if (pools.Count > 0)
            {
                parameters.Add(("Pool", string.Join(',', pools)));
            }

            yield return new HealthFinding
            {
                Id = HealthFindingIds.SmearedSourcesMixed,
                Severity = HealthFindingSeverity.Warning,
                Message = $"chrony mixes leap-second handling: {problem}",
                Evidence = string.Join("; ", network.Select(d => d.ToString())),
                EvidenceSource = path,
                Fix = parameters.Count > 0 ? fix.For("Set-GuestTimeSync", [.. parameters]) : null,
            };
        }
    }

    private static string StatusEvidence(GuestTimeSyncStatus sync) =>
        $"{sync.Daemon}: leap status {sync.LeapStatus ?? "unknown"}, source {sync.Source ?? "none"}, {sync.Sources.Count(s => s.IsReachable).ToString(CultureInfo.InvariantCulture)} of {sync.Sources.Count.ToString(CultureInfo.InvariantCulture)} sources reachable";

    /// <summary>The command a daemon's status was read with.</summary>
    internal static string StatusSource(string daemon) => daemon switch
    {
        "chronyd" => "chronyc -n -c tracking; chronyc -n -c sources",
        "ntpd" or "ntpsec" => "ntpq -pn; ntpq -c 'rv 0'",
        "systemd-timesyncd" => "timedatectl timesync-status",
        "w32time" => "w32tm /query /status /verbose",
        _ => daemon,
    };

    private static string Seconds(TimeSpan offset) => offset.TotalSeconds.ToString("0.000###", CultureInfo.InvariantCulture);
}
