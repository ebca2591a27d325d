using System.Buffers.Binary;
using System.Net.Sockets;
using KvmTime.Targets;
using Renci.SshNet;
using Renci.SshNet.Security;

namespace KvmTime.Ssh;

/// <summary>
/// The keys ssh-agent holds ($SSH_AUTH_SOCK), as SSH.NET key sources whose signatures the agent
/// makes: the private keys never enter this process. The protocol is the small public one
/// (draft-miller-ssh-agent): request identities (11 → 12), sign (13 → 14), failure (5).
/// </summary>
internal static class SshAgentKeys
{
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;

    public static IReadOnlyList<IPrivateKeySource> TryLoad(string computerName)
    {
        var socketPath = Environment.GetEnvironmentVariable("SSH_AUTH_SOCK");
        if (string.IsNullOrEmpty(socketPath) || !File.Exists(socketPath))
        {
            return [];
        }

        try
        {
            var reply = Exchange(socketPath, [RequestIdentities]);
            if (reply.Length == 0 || reply[0] != IdentitiesAnswer)
            {
                return [];
            }

            var reader = new AgentReader(reply, 1);
            var count = reader.UInt32();
            var keys = new List<IPrivateKeySource>();
            for (var i = 0; i < count && i < 64; i++)
            {
                var blob = reader.Bytes();
                _ = reader.Bytes(); // comment
                keys.AddRange(AgentKey.For(socketPath, blob));
            }

            return keys;
        }
        catch (Exception e) when (e is SocketException or IOException or ArgumentOutOfRangeException or InvalidDataException)
        {
            TargetLog.Warning(computerName, $"ssh-agent at $SSH_AUTH_SOCK did not answer ({e.Message}); going on without it.");
            return [];
        }
    }

    /// <summary>One request, one reply: uint32 length, then the message.</summary>
    internal static byte[] Exchange(string socketPath, byte[] message)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = 10_000;
        socket.SendTimeout = 10_000;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var framed = new byte[4 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)message.Length);
        message.CopyTo(framed, 4);
        socket.Send(framed);
        var header = ReceiveExactly(socket, 4);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > 256 * 1024)
        {
            throw new InvalidDataException($"an agent reply of {length} bytes");
        }

        return ReceiveExactly(socket, (int)length);
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = socket.Receive(buffer, read, count - read, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("the agent closed the connection");
            }

            read += n;
        }

        return buffer;
    }

    internal static byte[] SshString(byte[] value)
    {
        var bytes = new byte[4 + value.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value.Length);
        value.CopyTo(bytes, 4);
        return bytes;
    }

    /// <summary>Reads SSH wire types from an agent reply, refusing lengths past its end.</summary>
    internal sealed class AgentReader(byte[] data, int offset)
    {
        private int position = offset;

        public uint UInt32()
        {
            if (position + 4 > data.Length)
            {
                throw new InvalidDataException("a truncated agent reply");
            }

            var value = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            position += 4;
            return value;
        }

        public byte[] Bytes()
        {
            var length = UInt32();
            if (length > data.Length - position)
            {
                throw new InvalidDataException("a truncated agent reply");
            }

            var value = data.AsSpan(position, (int)length).ToArray();
            position += (int)length;
            return value;
        }
    }

    /// <summary>A key held by the agent, one SSH.NET key source per signature algorithm it can make.</summary>
    private sealed class AgentKey : IPrivateKeySource
    {
        private AgentKey(HostAlgorithm algorithm) => HostKeyAlgorithms = [algorithm];

        public IReadOnlyCollection<HostAlgorithm> HostKeyAlgorithms { get; }

        public static IEnumerable<AgentKey> For(string socketPath, byte[] blob)
        {
            var type = HostKeyPolicy.KeyTypeOf(blob);
            // RSA keys sign with SHA-2 when asked (flags 4 and 2); plain ssh-rsa (SHA-1) stays off, as in OpenSSH.
            return type == "ssh-rsa"
                ? [new AgentKey(new AgentSigner("rsa-sha2-512", socketPath, blob, 4)), new AgentKey(new AgentSigner("rsa-sha2-256", socketPath, blob, 2))]
                : [new AgentKey(new AgentSigner(type, socketPath, blob, 0))];
        }
    }

    private sealed class AgentSigner(string name, string socketPath, byte[] blob, uint flags) : HostAlgorithm(name)
    {
        private const byte SignRequest = 13;
        private const byte SignResponse = 14;

        public override byte[] Data => blob;

        public override byte[] Sign(byte[] data)
        {
            var flagBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(flagBytes, flags);
            byte[] request = [SignRequest, .. SshString(blob), .. SshString(data), .. flagBytes];
            var reply = Exchange(socketPath, request);
            if (reply.Length == 0 || reply[0] != SignResponse)
            {
                throw new InvalidDataException($"ssh-agent refused to sign with its {Name} key");
            }

            return new AgentReader(reply, 1).Bytes(); // already the wire signature: string algorithm, string blob
        }

        public override bool VerifySignature(byte[] data, byte[] signature) => false; // only used for host keys, never for ours
    }
}
