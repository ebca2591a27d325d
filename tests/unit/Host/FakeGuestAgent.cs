using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace KvmTime.Tests.Host;

/// <summary>
/// A QEMU guest agent on a real unix socket that serves any number of connections: it answers
/// guest-sync-delimited after its 0xFF, guest-get-time with the host's time, guest-set-time with {},
/// and guest-info with <see cref="GuestInfoReply"/> (a test sets a malformed one to play a bad agent).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FakeGuestAgent : IDisposable
{
    public const string GoodGuestInfo = """{"return": {"version": "8.2.0", "supported_commands": [{"enabled": true, "name": "guest-set-time"}]}}""";

    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly Task serving;

    public FakeGuestAgent(string guestInfoReply = GoodGuestInfo)
    {
        GuestInfoReply = guestInfoReply;
        SocketPath = Path.Combine(Path.GetTempPath(), $"kvmtime-fakeqga-{Guid.NewGuid():N}.sock");
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(8);
        serving = ServeAsync();
    }

    public string SocketPath { get; }

    public string GuestInfoReply { get; }

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        try
        {
            serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener.
        }

        stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task ServeAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stop.Token);
                connections.Add(AnswerAsync(connection));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed: stop accepting.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task AnswerAsync(Socket connection)
    {
        using (connection)
        {
            var pending = new List<byte>();
            var buffer = new byte[4096];
            try
            {
                while (await connection.ReceiveAsync(buffer, stop.Token) is var read and > 0)
                {
                    pending.AddRange(buffer.AsSpan(0, read).ToArray().Where(b => b != 0xFF));
                    for (var newline = pending.IndexOf((byte)'\n'); newline >= 0; newline = pending.IndexOf((byte)'\n'))
                    {
                        var line = Encoding.UTF8.GetString([.. pending.Take(newline)]);
                        pending.RemoveRange(0, newline + 1);
                        await connection.SendAsync(Encoding.Latin1.GetBytes(Reply(line)), stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // The client or the test went away.
            }
        }
    }

    private string Reply(string line)
    {
        using var command = JsonDocument.Parse(line);
        return command.RootElement.GetProperty("execute").GetString() switch
        {
            "guest-sync-delimited" => $"\xFF{{\"return\": {command.RootElement.GetProperty("arguments").GetProperty("id").GetInt64()}}}\n",
            "guest-info" => GuestInfoReply + "\n",
            "guest-get-time" => $"{{\"return\": {(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100}}}\n",
            _ => "{\"return\": {}}\n",
        };
    }
}
