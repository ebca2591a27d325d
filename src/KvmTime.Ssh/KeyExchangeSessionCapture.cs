using Renci.SshNet;
using Renci.SshNet.Security;

namespace KvmTime.Ssh;

/// <summary>
/// The one handle on an SSH.NET session while it connects. SSH.NET waits for the key exchange and
/// the login without a cancellation token, and its client holds the session only after both; the
/// key exchange is the first code that sees the session, so every algorithm of the connection is
/// wrapped to note it. <see cref="Abort"/> then closes its socket, which ends those waits at once;
/// a key exchange that starts after the abort fails at once.
/// </summary>
internal sealed class KeyExchangeSessionCapture
{
    private readonly object gate = new();
    private Session? session;
    private bool aborted;

    /// <summary>Which code ran the key exchange: KvmTime's own sntrup761 hybrid or SSH.NET's, for -Verbose.</summary>
    public string Implementation { get; private set; } = "none";

    /// <summary>Wraps every key exchange algorithm of <paramref name="connection"/>, keeping their order.</summary>
    public static KeyExchangeSessionCapture Install(ConnectionInfo connection)
    {
        var capture = new KeyExchangeSessionCapture();
        foreach (var name in connection.KeyExchangeAlgorithms.Keys.ToList())
        {
            var create = connection.KeyExchangeAlgorithms[name];
            connection.KeyExchangeAlgorithms[name] = () => new CapturingKeyExchange(create(), capture);
        }

        return capture;
    }

    /// <summary>Closes the session now if a key exchange revealed it; otherwise its key exchange fails as it starts.</summary>
    public void Abort()
    {
        Session? toClose;
        lock (gate)
        {
            aborted = true;
            toClose = session;
        }

        toClose?.Dispose();
    }

    /// <summary>
    /// Notes the session a key exchange starts on; false when the connection was aborted before.
    /// This runs on SSH.NET's message-listener thread: disposing the session here would wait for
    /// that very thread to end, forever, so the caller fails the key exchange instead and SSH.NET
    /// closes the socket itself.
    /// </summary>
    internal bool Seen(Session started, IKeyExchange algorithm)
    {
        lock (gate)
        {
            session = started;
            Implementation = algorithm is Sntrup761X25519KeyExchange ? "KvmTime's sntrup761" : "SSH.NET";
            return !aborted;
        }
    }
}
