using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using KvmTime.Host;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>The guest agent protocol against a fake agent listening on a real unix socket.</summary>
public sealed partial class GuestAgentClientTests : IDisposable
{
    private readonly string socketPath = Path.Combine(Path.GetTempPath(), $"kvmtime-qga-{Guid.NewGuid():N}.sock");
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public GuestAgentClientTests()
    {
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
    }

    public void Dispose()
    {
        listener.Dispose();
        File.Delete(socketPath);
    }

    [Fact]
    public async Task Sync_skips_garbage_and_a_stale_reply_before_the_sentinel_with_its_id()
    {
        var agent = FakeAgentAsync(async (connection, id) =>
        {
            // A half line and a stale reply from an earlier client, then an old sync with another id.
            await SendAsync(connection, "{\"return\": 4\n{\"retu");
            await SendAsync(connection, "\xFF{\"return\": 99}\n");
            await SendAsync(connection, $"\xFF{{\"return\": {id}}}\n");
        });
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SyncAsync(CancellationToken.None);
        await agent;
    }

    [Fact]
    public async Task Sync_waits_for_a_delayed_sentinel_and_a_reply_split_across_writes()
    {
        var agent = FakeAgentAsync(async (connection, id) =>
        {
            await SendAsync(connection, "garbage");
            await Task.Delay(300);
            await SendAsync(connection, "\xFF{\"return\": ");
            await Task.Delay(200);
            await SendAsync(connection, $"{id}}}\n");
        });
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SyncAsync(CancellationToken.None);
        await agent;
    }

    [Fact]
    public async Task Get_time_after_sync_returns_the_agents_nanoseconds_from_a_partial_line()
    {
        var agent = FakeAgentAsync(async (connection, id) =>
        {
            await SendAsync(connection, $"\xFF{{\"return\": {id}}}\n");
            Assert.Contains("guest-get-time", await ReadLineAsync(connection), StringComparison.Ordinal);
            await SendAsync(connection, "{\"return\": 17000000001");
            await Task.Delay(100);
            await SendAsync(connection, "23456789}\n");
        });
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SyncAsync(CancellationToken.None);
        Assert.Equal(1700000000123456789L, await client.GetTimeAsync(CancellationToken.None));
        await agent;
    }

    [Fact]
    public async Task An_agent_that_never_answers_fails_with_AgentTimeout_in_time()
    {
        var agent = FakeAgentAsync((_, _) => Task.Delay(3000));
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromMilliseconds(400), CancellationToken.None);
        var started = DateTime.UtcNow;
        var failure = await Assert.ThrowsAsync<KvmTimeException>(() => client.SyncAsync(CancellationToken.None));
        Assert.Equal("AgentTimeout", failure.ErrorId);
        Assert.Equal(FailureKind.OperationTimeout, failure.Kind);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        await agent;
    }

    [Fact]
    public async Task Set_time_sends_the_time_argument_and_an_error_reply_becomes_AgentCommandUnsupported()
    {
        string? sent = null;
        var agent = FakeAgentAsync(async (connection, id) =>
        {
            await SendAsync(connection, $"\xFF{{\"return\": {id}}}\n");
            sent = await ReadLineAsync(connection);
            await SendAsync(connection, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"this feature or command is not currently supported\"}}\n");
        });
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SyncAsync(CancellationToken.None);
        var failure = await Assert.ThrowsAsync<KvmTimeException>(() => client.SetTimeAsync(1700000000000000000, CancellationToken.None));
        await agent;
        Assert.Equal("AgentCommandUnsupported", failure.ErrorId);
        Assert.Equal("{\"execute\":\"guest-set-time\",\"arguments\":{\"time\":1700000000000000000}}", sent);
    }

    [Fact]
    public async Task Guest_info_tells_a_disabled_or_missing_guest_set_time()
    {
        var agent = FakeAgentAsync(async (connection, id) =>
        {
            await SendAsync(connection, $"\xFF{{\"return\": {id}}}\n");
            await ReadLineAsync(connection);
            await SendAsync(connection, "{\"return\": {\"version\": \"7.2.22\", \"supported_commands\": [{\"enabled\": true, \"name\": \"guest-get-time\", \"success-response\": true}, {\"enabled\": false, \"name\": \"guest-set-time\", \"success-response\": true}]}}\n");
        });
        using var client = await GuestAgentClient.ConnectAsync(socketPath, TimeSpan.FromSeconds(5), CancellationToken.None);
        await client.SyncAsync(CancellationToken.None);
        var info = await client.GetInfoAsync(CancellationToken.None);
        await agent;
        Assert.Null(info.WhyUnavailable("guest-get-time"));
        Assert.Equal("it is disabled in qemu-ga 7.2.22", info.WhyUnavailable("guest-set-time"));
        Assert.Equal("qemu-ga 7.2.22 does not offer it", info.WhyUnavailable("guest-fsfreeze-freeze"));
    }

    [Fact]
    public async Task A_missing_socket_and_a_socket_nobody_listens_on_get_specific_errors()
    {
        var missing = await Assert.ThrowsAsync<KvmTimeException>(() => GuestAgentClient.ConnectAsync(socketPath + ".none", TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal("AgentSocketNotFound", missing.ErrorId);

        // A socket file that is bound but not listening: QEMU gone, or a stale path.
        var stalePath = socketPath + ".stale";
        using (var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            bound.Bind(new UnixDomainSocketEndPoint(stalePath));
            var refused = await Assert.ThrowsAsync<KvmTimeException>(() => GuestAgentClient.ConnectAsync(stalePath, TimeSpan.FromSeconds(1), CancellationToken.None));
            Assert.Equal("AgentNotConnected", refused.ErrorId);
        }

        File.Delete(stalePath);
    }

    /// <summary>Accepts one client, reads its 0xFF and guest-sync-delimited, and hands the id to the script.</summary>
    private async Task FakeAgentAsync(Func<Socket, long, Task> script)
    {
        using var connection = await listener.AcceptAsync();
        var first = new byte[1];
        await connection.ReceiveAsync(first);
        Assert.Equal(0xFF, first[0]);
        var sync = await ReadLineAsync(connection);
        var id = long.Parse(SyncId().Match(sync).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await script(connection, id);
    }

    private static async Task SendAsync(Socket connection, string text) =>
        await connection.SendAsync(Encoding.Latin1.GetBytes(text));

    private static async Task<string> ReadLineAsync(Socket connection)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await connection.ReceiveAsync(one) == 1 && one[0] != '\n')
        {
            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString([.. line]);
    }

    [GeneratedRegex("""^\{"execute":"guest-sync-delimited","arguments":\{"id":(\d+)\}\}$""")]
    private static partial Regex SyncId();
}
