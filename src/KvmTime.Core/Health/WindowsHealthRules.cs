using System.Globalization;
using KvmTime.Model;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Health;

/// <summary>A Windows guest's findings from <see cref="WindowsHealthScript"/>'s output: w32time and the RTC's interpretation.</summary>
internal static class WindowsHealthRules
{
    public static KvmTimeHealth Evaluate(WindowsHealthOutput output, string computerName, FixCommand fix, DateTime checkedAtUtc)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(fix);
        var findings = new List<HealthFinding>();
        GuestTimeSyncStatus? sync = null;
        var lines = output.Status.Split('\n', StringSplitOptions.TrimEntries);
        if (W32TimeServiceState.ErrorLine(lines) is { } stopped)
        {
            findings.Add(new HealthFinding
            {
                Id = HealthFindingIds.NoTimeDaemon,
                Severity = HealthFindingSeverity.Critical,
                Message = "The Windows Time service (w32time) is not running, so nothing corrects the clock after a pause, restore or migration. Start it and set it to start automatically.",
                Evidence = stopped,
                EvidenceSource = W32TimeSyncStatus.Script,
            });
        }
        else
        {
            sync = W32TimeSyncStatus.ToStatus(W32TimeStatusParser.Parse(output.Status, computerName), computerName);
            AddSyncFindings(findings, sync, lines, fix);
        }

        if (output.RealTimeIsUniversal is 1)
        {
            findings.Add(new HealthFinding
            {
                Id = HealthFindingIds.WindowsRtcIsUniversal,
                Severity = HealthFindingSeverity.Warning,
                Message = "Windows reads its RTC as UTC here (RealTimeIsUniversal=1): its KVM domain must keep <clock offset='utc'>. Set-KvmDomainClock -Preset Windows sets offset='localtime' and would put this guest off by its zone offset at every boot; use -Offset utc with the preset's timers instead.",
                Evidence = "RealTimeIsUniversal = 1",
                EvidenceSource = WindowsHealthScript.TimeZoneKey,
            });
        }

        var ordered = HealthReport.Ordered(findings);
        var (clocksource, isVm) = Clock(output, computerName);
        return new KvmTimeHealth
        {
            ComputerName = computerName,
            OperatingSystem = "Windows",
            Verdict = HealthReport.VerdictOf(ordered),
            Findings = ordered,
            CheckedAt = checkedAtUtc,
            IsVirtualMachine = isVm,
            Clocksource = clocksource,
            TimeDaemon = "w32time",
            Offset = sync?.Offset,
            IsSynchronized = sync?.IsSynchronized ?? false,
        };
    }

    private static void AddSyncFindings(List<HealthFinding> findings, GuestTimeSyncStatus sync, string[] lines, FixCommand fix)
    {
        var source = TimeSyncHealthRules.StatusSource("w32time");
        var cmos = sync.Source?.StartsWith("Local CMOS Clock", StringComparison.OrdinalIgnoreCase) == true;
        if (!sync.IsSynchronized || cmos)
        {
            findings.Add(new HealthFinding
            {
                Id = HealthFindingIds.TimeNotSynchronized,
                Severity = HealthFindingSeverity.Warning,
                Message = $"w32time follows no network time source ({(cmos ? "it runs on the local CMOS clock" : "leap indicator or stratum says unsynchronised")}), so the clock drifts freely.",
                Evidence = LineWith(lines, sync.Source) ?? $"source {sync.Source ?? "none"}, leap status {sync.LeapStatus}",
                EvidenceSource = source,
            });
        }

        if (sync.Offset is { } offset && offset.Duration() > TimeSyncHealthRules.LargeOffsetLimit)
        {
            var seconds = offset.TotalSeconds.ToString("0.000###", CultureInfo.InvariantCulture);
            findings.Add(new HealthFinding
            {
                Id = HealthFindingIds.LargeOffset,
                Severity = HealthFindingSeverity.Critical,
                Message = $"The clock is {seconds} s off as w32time measures it (phase offset): more than {TimeSyncHealthRules.LargeOffsetLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                Evidence = lines.FirstOrDefault(l => l.StartsWith("Phase Offset", StringComparison.OrdinalIgnoreCase)) ?? $"phase offset {seconds} s",
                EvidenceSource = source,
                Fix = fix.For("Sync-GuestTime"),
            });
        }
    }

    private static string? LineWith(string[] lines, string? value) =>
        value is null ? null : lines.FirstOrDefault(l => l.Contains(value, StringComparison.Ordinal));

    private static (string? Clocksource, bool IsVirtualMachine) Clock(WindowsHealthOutput output, string computerName)
    {
        if (output.ClockJson is null)
        {
            return (null, false);
        }

        try
        {
            var (info, windows) = WindowsClockParser.Clocksource(WindowsClockParser.Parse(output.ClockJson, computerName), computerName);
            return (info.Current, windows.HypervisorVendor is not null);
        }
        catch (KvmTimeException)
        {
            return (null, false);
        }
    }
}
