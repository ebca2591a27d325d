using System.Management.Automation;
using System.Management.Automation.Runspaces;
using KvmTime.Commands;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Host;

/// <summary>Sync-GuestTime over several guests of one host: a guest whose agent answers garbage is that guest's error alone.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SyncGuestTimePerGuestTests
{
    [Theory]
    [InlineData("""{"return": "not-an-object"}""")]
    [InlineData("""{"return": {"version": 8, "supported_commands": [1, "x", {"name": 2}]}}""")]
    [InlineData("""{"error": "not-an-object"}""")]
    public void A_malformed_guest_info_is_one_error_and_every_other_guest_is_synced(string badReply)
    {
        using var good1 = new FakeGuestAgent();
        using var bad = new FakeGuestAgent(badReply);
        using var good2 = new FakeGuestAgent();

        var iss = InitialSessionState.CreateDefault2();
        iss.Commands.Add(new SessionStateCmdletEntry("Sync-GuestTime", typeof(SyncGuestTimeCommand), null));
        using var shell = PowerShell.Create(iss);
        shell.AddCommand("Sync-GuestTime").AddParameter("AgentSocket", new[] { good1.SocketPath, bad.SocketPath, good2.SocketPath }).AddParameter("Confirm", false);
        var results = shell.Invoke().Select(o => (TimeSyncResult)o.BaseObject).ToList();

        Assert.Equal(new[] { good1.SocketPath, good2.SocketPath }.Order(), results.Select(r => r.Domain).Order());
        var error = Assert.Single(shell.Streams.Error);
        // AgentProtocolError for the wrong shape, AgentCommandUnsupported when no usable command is listed, AgentCommandFailed for an error reply: never UnexpectedFailure.
        Assert.Matches("^Agent(ProtocolError|CommandFailed|CommandUnsupported),", error.FullyQualifiedErrorId);
        Assert.Contains(bad.SocketPath, error.Exception.Message, StringComparison.Ordinal);
    }
}
