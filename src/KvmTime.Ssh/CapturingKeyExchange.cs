using System.Security.Cryptography;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Compression;
using Renci.SshNet.Messages.Transport;
using Renci.SshNet.Security;
using Renci.SshNet.Security.Cryptography;

namespace KvmTime.Ssh;

/// <summary>A key exchange algorithm that tells <see cref="KeyExchangeSessionCapture"/> its session, and otherwise is the algorithm it wraps.</summary>
internal sealed class CapturingKeyExchange(IKeyExchange inner, KeyExchangeSessionCapture capture) : IKeyExchange
{
    public event EventHandler<HostKeyEventArgs>? HostKeyReceived
    {
        add => inner.HostKeyReceived += value;
        remove => inner.HostKeyReceived -= value;
    }

    public string Name => inner.Name;

    public byte[] ExchangeHash => inner.ExchangeHash;

    public void Start(Session session, KeyExchangeInitMessage message, bool sendClientInitMessage)
    {
        if (!capture.Seen(session, inner))
        {
            // Thrown on SSH.NET's listener thread: it closes the socket and ends the connect's waits.
            throw new SshConnectionException("The connection was stopped before its key exchange.", DisconnectReason.ByApplication);
        }

        inner.Start(session, message, sendClientInitMessage);
    }

    public void Finish() => inner.Finish();

    public Cipher CreateClientCipher(out bool isAead) => inner.CreateClientCipher(out isAead);

    public Cipher CreateServerCipher(out bool isAead) => inner.CreateServerCipher(out isAead);

    public HashAlgorithm CreateServerHash(out bool isEncryptThenMAC) => inner.CreateServerHash(out isEncryptThenMAC);

    public HashAlgorithm CreateClientHash(out bool isEncryptThenMAC) => inner.CreateClientHash(out isEncryptThenMAC);

    public Compressor CreateCompressor() => inner.CreateCompressor();

    public Compressor CreateDecompressor() => inner.CreateDecompressor();

    public void Dispose() => inner.Dispose();
}
