using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Sync;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>
/// In-guest sync: picks the daemon, says exactly what will run, and runs it in one round trip that
/// also reads the daemon's own measurements before the step and after it. No I/O here: the
/// Operations layer runs the steps.
/// </summary>
internal static partial class GuestTimeSyncPlanner
{
    private const string ChronySources = "chronyc -n -c sources";

    public static TimeSyncPlan Plan(string computerName, GatherResult gathered, GuestSyncMethod method)
    {
        var status = GuestTimeSyncReader.Parse(gathered, computerName);
        var running = GuestTimeSyncReader.RunningDaemonsOf(gathered);
        var chosen = method == GuestSyncMethod.Auto ? Pick(running, computerName) : method;
        var daemon = chosen switch { GuestSyncMethod.Chrony => "chronyd", GuestSyncMethod.Ntpd => "ntpd", _ => "systemd-timesyncd" };
        if (!running.Contains(daemon))
        {
            throw new KvmTimeException(ErrorIds.TimeDaemonNotRunning, FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.TimeDaemonNotRunning, computerName, chosen, daemon, running.Count == 0 ? Messages.NoDaemonRunning : string.Join(", ", running)))
            { ComputerName = computerName };
        }

        var steps = chosen switch
        {
            GuestSyncMethod.Chrony => ChronySteps(),
            GuestSyncMethod.Ntpd => NtpdSteps(),
            _ => TimesyncdSteps(),
        };
        var action = chosen switch
        {
            GuestSyncMethod.Chrony => "chronyc burst 4/4, wait for a fresh sample, chronyc makestep, then chronyc burst 2/2 to measure again",
            GuestSyncMethod.Ntpd => "stop the ntp service, ntpd -gq (step with the daemon's own servers), start the service, wait for a peer",
            _ => "systemctl restart systemd-timesyncd, wait for its first two packets",
        };
        return new TimeSyncPlan
        {
            ComputerName = computerName,
            Method = chosen.ToString(),
            Action = action,
            OffsetBefore = status.Offset,
            Source = status.Source,
            Steps = steps,
        };
    }

    /// <summary>What the step commands of <paramref name="plan"/> printed, judged.</summary>
    public static TimeSyncResult Result(TimeSyncPlan plan, GatherResult done)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Method switch
        {
            nameof(GuestSyncMethod.Chrony) => ChronyResult(plan.ComputerName, plan.Action, done),
            nameof(GuestSyncMethod.Ntpd) => NtpdResult(plan.ComputerName, plan.Action, done),
            _ => TimesyncdResult(plan.ComputerName, plan.Action, done),
        };
    }

    private static GuestSyncMethod Pick(IReadOnlyList<string> running, string computerName) =>
        running.Contains("chronyd") ? GuestSyncMethod.Chrony
        : running.Contains("ntpd") ? GuestSyncMethod.Ntpd
        : running.Contains("systemd-timesyncd") ? GuestSyncMethod.Timesyncd
        : throw new KvmTimeException(ErrorIds.NoTimeDaemonRunning, FailureKind.ResourceUnavailable,
            string.Format(CultureInfo.InvariantCulture, Messages.NoTimeDaemonRunning, computerName))
        { ComputerName = computerName };

    private static GatherRequest ChronySteps() => new GatherRequest()
        .Command("burst", GuestStepScripts.ChronyBurst)
        .Command("sources_before", ChronySources)
        .Command("step", GuestStepScripts.ChronyMakestep + " 2>&1")
        .Command("confirm", GuestStepScripts.ChronyConfirmBurst)
        .Command("sources_after", ChronySources);

    private static GatherRequest NtpdSteps() => new GatherRequest()
        .Command("step", GuestStepScripts.NtpdStep)
        .Command("confirm", GuestStepScripts.NtpdWaitForPeer)
        .Command("peers_after", "ntpq -pn");

    private static GatherRequest TimesyncdSteps() => new GatherRequest()
        .Command("step", GuestStepScripts.TimesyncdRestart + " 2>&1")
        .Command("status_before", GuestStepScripts.TimesyncdWaitForPackets(1))
        .Command("status_after", GuestStepScripts.TimesyncdWaitForPackets(2));

    private static TimeSyncResult ChronyResult(string computerName, string action, GatherResult done)
    {
        var reply = done.Get("step")?.Text.Trim() ?? string.Empty;
        var before = Freshest(Linux.ChronySources.Parse(done.TextOrNull("sources_before") ?? string.Empty));
        var after = Freshest(Linux.ChronySources.Parse(done.TextOrNull("sources_after") ?? string.Empty));
        var ok = reply.StartsWith("200", StringComparison.Ordinal);
        // Before: what the fresh sample measured (chronyd may already have stepped on it, which
        // shrinks its adjusted offset). After: the adjusted offset of the confirming sample.
        var message = ok
            ? string.Format(CultureInfo.InvariantCulture, Messages.ChronydStepped, Describe(before?.MeasuredOffset), Describe(after?.Offset), after?.Name ?? before?.Name ?? Messages.NoTimeSource)
            : reply.StartsWith("501", StringComparison.Ordinal) ? string.Format(CultureInfo.InvariantCulture, Messages.ChronycMakestepRefused, reply)
            : string.Format(CultureInfo.InvariantCulture, Messages.ChronycMakestepFailed, reply.Length == 0 ? Messages.ChronycNoReply : reply);
        return Result(computerName, "Chrony", action, before?.MeasuredOffset, after?.Offset, after?.Name ?? before?.Name, ok, message);
    }

    private static TimeSyncResult NtpdResult(string computerName, string action, GatherResult done)
    {
        var step = done.Get("step");
        var output = step?.Text ?? string.Empty;
        var stepped = NtpdStepLine().Match(output);
        // ntpd prints the correction it applied (true minus local); the offset was its negation.
        TimeSpan? before = stepped.Success && ChronyTracking.TryDouble(stepped.Groups["s"].Value, out var correction) ? ChronyTracking.Seconds(-correction) : null;
        var after = Freshest(NtpqPeers.Parse(done.TextOrNull("peers_after") ?? string.Empty));
        var ok = step is { Succeeded: true } && stepped.Success;
        var message = ok
            ? string.Format(CultureInfo.InvariantCulture, Messages.NtpdStepped, Describe(before), Describe(after?.Offset), after?.Name ?? Messages.NtpdNoPeerYet)
            : string.Format(CultureInfo.InvariantCulture, Messages.NtpdDidNotStep, LastLine(output));
        return Result(computerName, "Ntpd", action, before, after?.Offset, after?.Name, ok, message);
    }

    private static TimeSyncResult TimesyncdResult(string computerName, string action, GatherResult done)
    {
        var restart = done.Get("step");
        var before = Timedatectl.ParseTimesyncStatus(done.TextOrNull("status_before") ?? string.Empty);
        var after = Timedatectl.ParseTimesyncStatus(done.TextOrNull("status_after") ?? string.Empty);
        var ok = restart is { Succeeded: true } && before is not null;
        var message = ok
            ? string.Format(CultureInfo.InvariantCulture, Messages.TimesyncdCorrected, Describe(before?.Offset), Describe(after?.Offset), after?.Server ?? before?.Server)
            : string.Format(CultureInfo.InvariantCulture, Messages.TimesyncdNoAnswer, LastLine(restart?.Text ?? string.Empty));
        return Result(computerName, "Timesyncd", action, before?.Offset, after?.Offset, after?.Server ?? before?.Server, ok, message);
    }

    /// <summary>The selected source, else the reachable one with the newest sample.</summary>
    private static TimeSourceInfo? Freshest(IReadOnlyList<TimeSourceInfo> sources) =>
        sources.FirstOrDefault(s => s.IsSelected && s.Offset is not null && s.LastSampleAgeSeconds is not null)
        ?? sources.Where(s => s.IsReachable && s.Offset is not null).MinBy(s => s.LastSampleAgeSeconds ?? long.MaxValue);

    private static TimeSyncResult Result(string computerName, string method, string action, TimeSpan? before, TimeSpan? after, string? source, bool ok, string message) => new()
    {
        ComputerName = computerName,
        Method = method,
        Action = action,
        OffsetBefore = before,
        OffsetAfter = after,
        Source = source,
        Succeeded = ok,
        Message = message,
    };

    private static string Describe(TimeSpan? offset) => offset is { } o ? TimeSyncVerdict.Format(o) : "unknown";

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";

    [GeneratedRegex(@"time (?:set|slew|reset)\s+(?<s>[+-]?[0-9]+(?:\.[0-9]+)?)\s*s")]
    private static partial Regex NtpdStepLine();
}
