using System.Globalization;
using KvmTime.Host;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// A guest clock reached straight through its agent's unix socket on this machine: plain QEMU
/// without libvirt (-chardev socket,path=...,server=on). Each step is one connection.
/// </summary>
internal sealed class AgentSocketGuestClock(string computerName, string socketPath, TimeSpan timeout) : IGuestClock
{
    public string ComputerName { get; } = computerName;

    public string Domain { get; } = socketPath;

    public string Method => "GuestAgent";

    public string SetAction => $"guest-set-time (host time) on agent socket {Domain}";

    public async Task<GuestClockSample> PrepareAsync(CancellationToken cancellationToken)
    {
        using var agent = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var info = await agent.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        if (info.WhyUnavailable("guest-set-time") is { } why)
        {
            throw GuestAgentFailures.CommandUnsupported(string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketWhere, Domain), "guest-set-time", why);
        }

        return await ReadAsync(agent, cancellationToken).ConfigureAwait(false);
    }

    public async Task<GuestClockSample> SetAndReadAsync(TimeSpan lead, CancellationToken cancellationToken)
    {
        using var agent = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await agent.SetTimeAsync(GuestClockSample.UnixNanosecondsNow() + (lead.Ticks * 100), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(agent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<GuestAgentClient> OpenAsync(CancellationToken cancellationToken)
    {
        var agent = await GuestAgentClient.ConnectAsync(Domain, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            await agent.SyncAsync(cancellationToken).ConfigureAwait(false);
            return agent;
        }
        catch
        {
            agent.Dispose();
            throw;
        }
    }

    private static async Task<GuestClockSample> ReadAsync(GuestAgentClient agent, CancellationToken cancellationToken)
    {
        var before = GuestClockSample.UnixNanosecondsNow();
        var guest = await agent.GetTimeAsync(cancellationToken).ConfigureAwait(false);
        var after = GuestClockSample.UnixNanosecondsNow();
        return new GuestClockSample(guest, before, after);
    }
}
