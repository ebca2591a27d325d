using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using KvmTime.Ssh.Sntrup761;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Renci.SshNet;
using Renci.SshNet.Common;
using Renci.SshNet.Messages.Transport;
using Renci.SshNet.Security;

namespace KvmTime.Ssh;

/// <summary>
/// sntrup761x25519-sha512 (OpenSSH's hybrid post-quantum key exchange) with KvmTime's sntrup761,
/// which costs about 4 ms of CPU per connection where the BouncyCastle one SSH.NET uses costs about
/// 50 ms. The protocol is SSH.NET's: Q_C = sntrup761 public key || X25519 public key, Q_S =
/// ciphertext || X25519 public key, K = SHA-512(KEM secret || X25519 secret) as a string, and the
/// exchange hash signed by the host key, checked by SSH.NET against our known_hosts policy.
/// </summary>
internal sealed class Sntrup761X25519KeyExchange : KeyExchange
{
    public const string MethodName = "sntrup761x25519-sha512";
    private const string ReplyMessage = "SSH_MSG_KEX_HYBRID_REPLY";
    private const int X25519Bytes = 32;

    private Sntrup761KeyPair? kem;
    private X25519PrivateKeyParameters? x25519;
    private byte[] clientPayload = [];
    private byte[] serverPayload = [];
    private byte[] clientExchangeValue = [];
    private byte[] serverExchangeValue = [];
    private byte[] hostKey = [];
    private byte[] signature = [];

    public override string Name => MethodName;

    /// <summary>Puts this implementation behind both names of the method, where SSH.NET offers them.</summary>
    public static void Install(ConnectionInfo connection)
    {
        if (!SshNetInternals.Available)
        {
            return;
        }

        foreach (var name in new[] { MethodName, MethodName + "@openssh.com" })
        {
            if (connection.KeyExchangeAlgorithms.ContainsKey(name))
            {
                connection.KeyExchangeAlgorithms[name] = () => new Sntrup761X25519KeyExchange();
            }
        }
    }

    public override void Start(Session session, KeyExchangeInitMessage message, bool sendClientInitMessage)
    {
        base.Start(session, message, sendClientInitMessage);
        serverPayload = message.GetBytes();
        clientPayload = session.ClientInitMessage.GetBytes();
        session.RegisterMessage(ReplyMessage);
        SshNetInternals.AddHybridReplyHandler(session, OnReply);

        kem = Sntrup761KeyPair.Generate();
        x25519 = new X25519PrivateKeyParameters(new SecureRandom());
        clientExchangeValue = [.. kem.PublicKey, .. x25519.GeneratePublicKey().GetEncoded()];
        SendMessage(SshNetInternals.HybridInit(clientExchangeValue));
    }

    public override void Finish()
    {
        SshNetInternals.RemoveHybridReplyHandler(Session, OnReply);
        base.Finish();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            kem?.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override bool ValidateExchangeHash() => SshNetInternals.ValidateExchangeHash(this, hostKey, signature);

    protected override byte[] CalculateHash()
    {
        using var data = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var field in new[]
        {
            System.Text.Encoding.UTF8.GetBytes(Session.ClientVersion), System.Text.Encoding.UTF8.GetBytes(Session.ServerVersion),
            clientPayload, serverPayload, hostKey, clientExchangeValue, serverExchangeValue, SharedKey,
        })
        {
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)field.Length);
            data.Write(length);
            data.Write(field);
        }

        return Hash(data.ToArray());
    }

    protected override byte[] Hash(byte[] hashData) => SHA512.HashData(hashData);

    private void OnReply(object? sender, MessageEventArgs<KeyExchangeHybridReplyMessage> e)
    {
        Session.UnRegisterMessage(ReplyMessage);
        var reply = e.Message;
        (hostKey, signature, serverExchangeValue) = (reply.KS, reply.Signature, reply.SReply);
        if (serverExchangeValue.Length != Sntrup761KeyPair.CiphertextBytes + X25519Bytes)
        {
            throw new SshConnectionException(
                string.Format(CultureInfo.InvariantCulture, "Bad Q_S length: {0}.", serverExchangeValue.Length), DisconnectReason.KeyExchangeFailed);
        }

        var kemSecret = kem!.Decapsulate(serverExchangeValue[..Sntrup761KeyPair.CiphertextBytes]);
        var x25519Secret = new byte[X25519Bytes];
        x25519!.GenerateSecret(new X25519PublicKeyParameters(serverExchangeValue, Sntrup761KeyPair.CiphertextBytes), x25519Secret, 0);
        byte[] both = [.. kemSecret, .. x25519Secret];
        SharedKey = SHA512.HashData(both);

        // The ephemeral secrets are spent: nothing of them stays in memory but the shared key.
        kem.Dispose();
        CryptographicOperations.ZeroMemory(kemSecret);
        CryptographicOperations.ZeroMemory(x25519Secret);
        CryptographicOperations.ZeroMemory(both);
        Finish();
    }
}
