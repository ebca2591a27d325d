using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KvmTime.Host;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>
/// A client for the QEMU guest agent protocol on a stream (a QEMU -chardev unix socket): one JSON
/// command per line, one JSON reply per line. Every session starts with guest-sync-delimited, whose
/// reply is prefixed by a 0xFF sentinel, so that stale replies and partial lines left by an earlier
/// client are skipped. Every call has its own timeout.
/// </summary>
internal sealed class GuestAgentClient : IDisposable
{
    private const byte Sentinel = 0xFF;
    private readonly Stream stream;
    private readonly string where;
    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;

    /// <summary>Wraps an already open stream; <paramref name="where"/> names it in error messages.</summary>
    public GuestAgentClient(Stream stream, string where)
    {
        this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
        this.where = where;
    }

    /// <summary>How long each command may take before it fails with AgentTimeout.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connects to a guest agent unix socket on this machine.</summary>
    public static async Task<GuestAgentClient> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        var where = string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketWhere, socketPath);
        if (!File.Exists(socketPath))
        {
            throw GuestAgentFailures.SocketNotFound(socketPath);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw GuestAgentFailures.Timeout(where, "connect", timeout);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode == SocketError.AccessDenied
                ? new KvmTimeException(ErrorIds.AgentSocketAccessDenied, FailureKind.PermissionDenied,
                    string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketAccessDenied, where), e)
                : GuestAgentFailures.NotConnected(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketNotListening, e.Message));
        }

        return new GuestAgentClient(new NetworkStream(socket, ownsSocket: true), where) { CommandTimeout = timeout };
    }

    /// <summary>
    /// Resets the agent's parser and skips everything up to the 0xFF sentinel that carries our id.
    /// Replies with another id (left by an earlier client's sync) are skipped too.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var id = Random.Shared.NextInt64(1, int.MaxValue);
        await WithTimeoutAsync("guest-sync-delimited", async token =>
        {
            // A leading 0xFF makes the agent drop any half-written command left on the channel.
            await stream.WriteAsync(new[] { Sentinel }, token).ConfigureAwait(false);
            await WriteCommandAsync("guest-sync-delimited", new Dictionary<string, long> { ["id"] = id }, token).ConfigureAwait(false);
            while (true)
            {
                await SkipPastSentinelAsync(token).ConfigureAwait(false);
                var line = await ReadLineAsync(token).ConfigureAwait(false);
                if (IsSyncReply(line, id))
                {
                    return 0;
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one command and returns a copy of its "return" value; an "error" reply throws AgentCommandFailed.</summary>
    public Task<JsonElement> ExecuteAsync(string command, IReadOnlyDictionary<string, long>? arguments, CancellationToken cancellationToken) =>
        WithTimeoutAsync(command, async token =>
        {
            await WriteCommandAsync(command, arguments, token).ConfigureAwait(false);
            while (true)
            {
                var line = await ReadLineAsync(token).ConfigureAwait(false);
                if (line.Length == 0)
                {
                    continue;
                }

                if (!TryParse(line, out var reply))
                {
                    throw GuestAgentFailures.ProtocolError(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentReplyUnreadable, command, GuestAgentInfo.Shorten(line)));
                }

                using (reply)
                {
                    if (reply.RootElement.TryGetProperty("return", out var value))
                    {
                        return value.Clone();
                    }

                    if (reply.RootElement.TryGetProperty("error", out var error))
                    {
                        throw Refusal(command, error);
                    }
                }

                throw GuestAgentFailures.ProtocolError(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentReplyEmpty, command, GuestAgentInfo.Shorten(line)));
            }
        }, cancellationToken);

    public async Task<GuestAgentInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        GuestAgentInfo.Parse(await ExecuteAsync("guest-info", null, cancellationToken).ConfigureAwait(false), where);

    /// <summary>The guest's clock, in nanoseconds since 1970-01-01 UTC.</summary>
    public async Task<long> GetTimeAsync(CancellationToken cancellationToken)
    {
        var value = await ExecuteAsync("guest-get-time", null, cancellationToken).ConfigureAwait(false);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ns)
            ? ns
            : throw GuestAgentFailures.ProtocolError(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentTimeNotNanoseconds, GuestAgentInfo.Shorten(value.GetRawText())));
    }

    /// <summary>Sets the guest's clock (and, through hwclock -w, its RTC) to <paramref name="unixNanoseconds"/>.</summary>
    public Task SetTimeAsync(long unixNanoseconds, CancellationToken cancellationToken) =>
        ExecuteAsync("guest-set-time", new Dictionary<string, long> { ["time"] = unixNanoseconds }, cancellationToken);

    public void Dispose() => stream.Dispose();

    private async Task<T> WithTimeoutAsync<T>(string command, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CommandTimeout);
        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw GuestAgentFailures.Timeout(where, command, CommandTimeout);
        }
        catch (IOException e)
        {
            throw GuestAgentFailures.NotConnected(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentConnectionBroke, command, e.Message));
        }
    }

    private async Task WriteCommandAsync(string command, IReadOnlyDictionary<string, long>? arguments, CancellationToken token)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is not null)
            {
                writer.WriteStartObject("arguments");
                foreach (var (name, value) in arguments)
                {
                    writer.WriteNumber(name, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        json.WriteByte((byte)'\n');
        await stream.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length), token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    private async Task SkipPastSentinelAsync(CancellationToken token)
    {
        while (true)
        {
            var at = Array.IndexOf(buffer, Sentinel, start, end - start);
            if (at >= 0)
            {
                start = at + 1;
                return;
            }

            start = end = 0;
            await FillAsync(token).ConfigureAwait(false);
        }
    }

    /// <summary>One line without its newline; waits for the rest of a partial line.</summary>
    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            var at = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (at >= 0)
            {
                var line = Encoding.UTF8.GetString(buffer, start, at - start).TrimEnd('\r');
                start = at + 1;
                return line;
            }

            if (start == 0 && end == buffer.Length)
            {
                throw GuestAgentFailures.ProtocolError(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentLineTooLong, buffer.Length));
            }

            await FillAsync(token).ConfigureAwait(false);
        }
    }

    private async Task FillAsync(CancellationToken token)
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        var read = await stream.ReadAsync(buffer.AsMemory(end), token).ConfigureAwait(false);
        if (read == 0)
        {
            throw GuestAgentFailures.NotConnected(where, Messages.AgentClosedConnection);
        }

        end += read;
    }

    private Targets.KvmTimeException Refusal(string command, JsonElement error)
    {
        var errorClass = Text(error, "class") ?? "Error";
        var description = Text(error, "desc") ?? (error.ValueKind == JsonValueKind.Object ? string.Empty : GuestAgentInfo.Shorten(error.GetRawText()));
        return errorClass == "CommandNotFound" || description.Contains("not currently supported", StringComparison.OrdinalIgnoreCase)
            ? GuestAgentFailures.CommandUnsupported(where, command, description)
            : GuestAgentFailures.CommandFailed(where, command, errorClass, description);
    }

    /// <summary>A string member of an object, or null for any other shape (an agent's error may be anything).</summary>
    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsSyncReply(string line, long id)
    {
        if (!TryParse(line, out var reply))
        {
            return false;
        }

        using (reply)
        {
            return reply.RootElement.TryGetProperty("return", out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var echoed) && echoed == id;
        }
    }

    private static bool TryParse(string line, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            document = null!;
            return false;
        }
    }
}
