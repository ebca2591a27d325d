using System.Globalization;
using System.Text.Json;
using KvmTime.Host;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>A libvirt domain's clock, reached with virsh on the KVM host (local or remote) in one round trip per step.</summary>
internal sealed class VirshGuestClock : IGuestClock
{
    private readonly ITarget host;
    private readonly string uri;

    public VirshGuestClock(ITarget host, string uri, string domain)
    {
        this.host = host ?? throw new ArgumentNullException(nameof(host));
        this.uri = LibvirtNames.Uri(uri);
        Domain = LibvirtNames.Domain(domain);
    }

    public string ComputerName => host.ComputerName;

    public string Domain { get; }

    public string Method => "Virsh";

    public string SetAction => VirshCommands.SetActionText(uri, Domain);

    /// <summary>The running domains on the host, for -All.</summary>
    public static async Task<IReadOnlyList<string>> ListRunningAsync(ITarget host, string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var result = await host.RunShellAsync(VirshCommands.ListRunning(LibvirtNames.Uri(uri)), null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? VirshCommands.ParseNames(result.StandardOutput)
            : throw VirshFailures.Classify(result.StandardOutput + result.StandardError, result.ExitCode, host.ComputerName, "(list)");
    }

    public async Task<GuestClockSample> PrepareAsync(CancellationToken cancellationToken)
    {
        var gathered = await host.GatherAsync(new GatherRequest()
            .Command("state", VirshCommands.DomState(uri, Domain))
            .Command("info", VirshCommands.GuestInfo(uri, Domain))
            .Command("time", VirshCommands.TimedGuestTime(uri, Domain)), cancellationToken).ConfigureAwait(false);

        CheckRunning(Require(gathered, "state").Trim());
        CheckSetTimeOffered(Require(gathered, "info"));
        return ParseSample(Require(gathered, "time"));
    }

    public async Task<GuestClockSample> SetAndReadAsync(TimeSpan lead, CancellationToken cancellationToken)
    {
        var gathered = await host.GatherAsync(new GatherRequest()
            .Command("set", VirshCommands.SetTimeToHostNow(uri, Domain, lead.Ticks * 100))
            .Command("time", VirshCommands.TimedGuestTime(uri, Domain)), cancellationToken).ConfigureAwait(false);
        Require(gathered, "set");
        return ParseSample(Require(gathered, "time"));
    }

    private string Require(GatherResult gathered, string key)
    {
        var value = gathered.Get(key) ?? new GatherValue(key, "no output", -1);
        return value.Succeeded ? value.Text : throw VirshFailures.Classify(value.Text, value.ExitCode, ComputerName, Domain);
    }

    private void CheckRunning(string state)
    {
        var where = string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, ComputerName, Domain);
        var failure = state switch
        {
            "running" => null,
            "shut off" => new KvmTimeException(ErrorIds.DomainShutOff, FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainShutOff, where, Domain)),
            "paused" or "pmsuspended" => new KvmTimeException(ErrorIds.DomainPaused, FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainPaused, where, state, Domain)),
            _ => new KvmTimeException(ErrorIds.DomainNotRunning, FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.DomainNotRunningState, where, state)),
        };
        if (failure is not null)
        {
            throw new KvmTimeException(failure.ErrorId, failure.Kind, failure.Message) { ComputerName = ComputerName };
        }
    }

    private void CheckSetTimeOffered(string infoJson)
    {
        try
        {
            using var reply = JsonDocument.Parse(infoJson);
            if (reply.RootElement.ValueKind != JsonValueKind.Object || !reply.RootElement.TryGetProperty("return", out var info))
            {
                throw GuestAgentFailures.ProtocolError(string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, ComputerName, Domain), string.Format(CultureInfo.InvariantCulture, Messages.AgentInfoViaVirsh, GuestAgentInfo.Shorten(infoJson.Trim())));
            }

            if (GuestAgentInfo.Parse(info, $"{ComputerName}: domain '{Domain}'").WhyUnavailable("guest-set-time") is { } why)
            {
                throw GuestAgentFailures.CommandUnsupported(string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, ComputerName, Domain), "guest-set-time", why);
            }
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            throw GuestAgentFailures.ProtocolError(string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, ComputerName, Domain), Messages.AgentInfoViaVirshNotJson);
        }
    }

    private GuestClockSample ParseSample(string output) =>
        VirshCommands.ParseTimedGuestTime(output)
        ?? throw GuestAgentFailures.ProtocolError(string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, ComputerName, Domain), string.Format(CultureInfo.InvariantCulture, Messages.AgentTimeViaVirshUnreadable, output.Trim()));
}
