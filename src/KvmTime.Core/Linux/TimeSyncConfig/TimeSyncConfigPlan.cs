using System.Globalization;
using KvmTime.Changes;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// One guest's time-sync change, decided: the files and commands (chrony drop-ins or the marked
/// block, ptp_kvm at boot, the restart), what chronyc must show afterwards, and the change that puts
/// the old files back when it does not.
/// </summary>
internal sealed class TimeSyncConfigPlan : IChangePlan
{
    public required string ComputerName { get; init; }

    public required string Daemon { get; init; }

    public required TimeSyncConfigRequest Request { get; init; }

    public required ChangePlan Changes { get; init; }

    /// <summary>The directives KvmTime manages after the change (drop-ins or block).</summary>
    public required IReadOnlyList<string> ManagedLines { get; init; }

    /// <summary>Where they live: the drop-in file(s), or chrony.conf for the marked block.</summary>
    public required IReadOnlyList<string> ManagedFiles { get; init; }

    public string? PhcDevice { get; init; }

    /// <summary>The daemon's source list: chronyc -n -c sources, or ntpq -pn.</summary>
    public required string StatusCommand { get; init; }

    /// <summary>A grep -E regex over <see cref="StatusCommand"/>'s output that proves the change works: a selected source, or the selected PHC.</summary>
    public required string SelectedRegex { get; init; }

    /// <summary>What puts the previous files back and restarts the daemon with them.</summary>
    public required ChangePlan Rollback { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string Target => ComputerName;

    public string Action
    {
        get
        {
            var parts = new List<string>();
            if (Request.Preset != GuestTimeSyncPreset.None)
            {
                parts.Add("preset " + Request.Preset);
            }

            if (Request.PtpKvm)
            {
                parts.Add("PHC " + PhcDevice);
            }

            if (Request.SetsSources)
            {
                parts.Add("sources " + string.Join(", ", Request.Servers.Concat(Request.Pools)));
            }

            return $"Configure {Daemon} ({string.Join("; ", parts)})";
        }
    }

    public bool IsChange => !Changes.IsEmpty;

    public bool RestartRequired => false;

    public bool RebootRequired => false;

    public string Describe() => Changes.Describe() + string.Create(CultureInfo.InvariantCulture,
        $"# verify: wait up to {(int)Request.Timeout.TotalSeconds} s for '{StatusCommand}' to show {(Daemon == "ntpd" ? "a peer that answers" : Request.PtpKvm ? "the PHC refclock selected" : "a source selected")}; otherwise {(Rollback.IsEmpty ? $"report it and leave {Daemon} running" : $"put the previous files back and restart {Daemon}")}\n");
}
