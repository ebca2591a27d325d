using System.Globalization;
using KvmTime.Linux.TimeSyncConfig;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>
/// Set-GuestTimeSync on Windows, without I/O: -Server and -Pool become manual NTP peers flagged 0x9
/// (0x1 SpecialInterval: poll every SpecialPollInterval seconds; 0x8 client mode), Type NTP.
/// </summary>
internal static class W32TimeConfigPlanner
{
    public static W32TimeConfigPlan Plan(W32TimePeerSettings before, TimeSyncConfigRequest request, string computerName)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(request);
        if (request.PtpKvm)
        {
            throw new KvmTimeException(ErrorIds.PtpKvmNeedsLinux, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.PtpKvmNeedsLinux, computerName))
            { ComputerName = computerName };
        }

        var peers = request.Servers.Concat(request.Pools).ToList();
        if (peers.Count == 0)
        {
            throw new KvmTimeException(ErrorIds.W32TimeNeedsPeers, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.W32TimeNeedsPeers, computerName))
            { ComputerName = computerName };
        }

        if (!request.Force && LeapSmearingServices.MixingProblem(peers) is { } problem)
        {
            throw new KvmTimeException(ErrorIds.SmearedSourcesMixed, FailureKind.InvalidArgument, string.Format(CultureInfo.InvariantCulture, Messages.SmearedSourcesMixed, computerName, problem)) { ComputerName = computerName };
        }

        var after = new W32TimePeerSettings(string.Join(' ', peers.Select(p => p + ",0x9")), "NTP", request.PollInterval is { } poll ? (int)poll.TotalSeconds : before.SpecialPollInterval);
        return new W32TimeConfigPlan { ComputerName = computerName, Request = request, Before = before, After = after, Peers = peers };
    }
}
