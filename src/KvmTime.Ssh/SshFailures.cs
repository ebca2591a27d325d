using System.Net.Sockets;
using KvmTime.Targets;
using Renci.SshNet.Common;

namespace KvmTime.Ssh;

/// <summary>One specific error, with what to do next, for each way an SSH connect fails.</summary>
internal static class SshFailures
{
    public static KvmTimeException FromConnect(Exception e, HostKeyPolicy policy, SshConnectionOptions options, bool bannerSeen, CancellationToken cancellationToken)
    {
        var name = options.DisplayName;
        var error = policy.RefusalError() ?? e switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => new KvmTimeException(ErrorIds.Stopped, FailureKind.OperationTimeout, "Stopped.", e),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException when bannerSeen => new KvmTimeException(ErrorIds.HandshakeTimeout, FailureKind.OperationTimeout,
                $"{name}: sshd answered, but the key exchange and login did not finish within {options.HandshakeTimeout.TotalSeconds:0} s. The server or this machine is overloaded; lower -ThrottleLimit or try again.", e),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException => new KvmTimeException(ErrorIds.ConnectTimeout, FailureKind.OperationTimeout,
                $"{name}: no SSH banner within {options.ConnectTimeout.TotalSeconds:0} s. Check that sshd runs there and the port is right, or raise -ConnectTimeout.", e),
            SocketException s => new KvmTimeException(ErrorIds.HostUnreachable, FailureKind.ConnectionError,
                $"{name}: cannot connect ({s.SocketErrorCode}). Check the name, the port and the firewall.", e),
            SshAuthenticationException => new KvmTimeException(ErrorIds.AuthenticationFailed, FailureKind.AuthenticationError,
                $"{name}: {options.UserName} was not accepted ({e.Message}). Check -UserName, -KeyFilePath or -Credential.", e),
            // SSH.NET's text, e.g. "No matching key exchange algorithm (server offers ...)", names what the server has.
            SshException when e.Message.StartsWith("No matching key exchange", StringComparison.Ordinal) => new KvmTimeException(ErrorIds.KeyExchangeMismatch, FailureKind.ConnectionError,
                $"{name}: {e.Message}. KvmTime offered {(options.KeyExchangeAlgorithms is { } chosen ? string.Join(", ", chosen) + " (-KeyExchangeAlgorithm)" : "every method it has")}; choose one the server offers.", e),
            SshException => new KvmTimeException(ErrorIds.SshProtocolError, FailureKind.ConnectionError, $"{name}: {e.Message}", e),
            KvmTimeException k => k,
            _ => new KvmTimeException(ErrorIds.HostUnreachable, FailureKind.ConnectionError, $"{name}: {e.Message}", e),
        };
        return error.ComputerName is null ? new KvmTimeException(error.ErrorId, error.Kind, error.Message, error.InnerException) { ComputerName = name } : error;
    }
}
