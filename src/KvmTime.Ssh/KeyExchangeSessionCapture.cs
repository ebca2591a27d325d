using Renci.SshNet;
using Renci.SshNet.Security;

namespace KvmTime.Ssh;

/// <summary>
/// The one handle on an SSH.NET session while it connects. SSH.NET waits for the key exchange and
/// the login without a cancellation token, and its client holds the session only after both; the
/// key exchange is the first code that sees the session, so every algorithm of the connection is
/// wrapped to note it. <see cref="Abort"/> then closes its socket, which ends those waits at once.
/// </summary>
internal sealed class KeyExchangeSessionCapture
{
    private readonly object gate = new();
    private Session? session;
    private bool aborted;

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

    /// <summary>Closes the session now, or as soon as a key exchange reveals it.</summary>
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

    internal void Seen(Session started)
    {
        bool closeNow;
        lock (gate)
        {
            session = started;
            closeNow = aborted;
        }

        if (closeNow)
        {
            started.Dispose();
        }
    }
}
