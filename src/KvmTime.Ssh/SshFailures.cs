using System.Globalization;
using System.Net.Sockets;
using KvmTime.Resources;
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
            OperationCanceledException when cancellationToken.IsCancellationRequested => new KvmTimeException(ErrorIds.Stopped, FailureKind.OperationTimeout, Messages.Stopped, e),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException when bannerSeen => new KvmTimeException(ErrorIds.HandshakeTimeout, FailureKind.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, Messages.HandshakeTimeout, name, options.HandshakeTimeout.TotalSeconds), e),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException => new KvmTimeException(ErrorIds.ConnectTimeout, FailureKind.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, Messages.ConnectTimeout, name, options.ConnectTimeout.TotalSeconds), e),
            SocketException s => new KvmTimeException(ErrorIds.HostUnreachable, FailureKind.ConnectionError,
                string.Format(CultureInfo.InvariantCulture, Messages.HostUnreachable, name, s.SocketErrorCode), e),
            SshAuthenticationException => new KvmTimeException(ErrorIds.AuthenticationFailed, FailureKind.AuthenticationError,
                string.Format(CultureInfo.InvariantCulture, Messages.AuthenticationFailed, name, options.UserName, e.Message), e),
            // SSH.NET's text, e.g. "No matching key exchange algorithm (server offers ...)", names what the server has.
            SshException when e.Message.StartsWith("No matching key exchange", StringComparison.Ordinal) => new KvmTimeException(ErrorIds.KeyExchangeMismatch, FailureKind.ConnectionError,
                string.Format(CultureInfo.InvariantCulture, Messages.KeyExchangeMismatch, name, e.Message, options.KeyExchangeAlgorithms is { } chosen ? string.Format(CultureInfo.InvariantCulture, Messages.KeyExchangeOfferedChosen, string.Join(", ", chosen)) : Messages.KeyExchangeOfferedAll), e),
            SshException => new KvmTimeException(ErrorIds.SshProtocolError, FailureKind.ConnectionError, string.Format(CultureInfo.InvariantCulture, Messages.ComputerPrefixed, name, e.Message), e),
            KvmTimeException k => k,
            _ => new KvmTimeException(ErrorIds.HostUnreachable, FailureKind.ConnectionError, string.Format(CultureInfo.InvariantCulture, Messages.ComputerPrefixed, name, e.Message), e),
        };
        return error.ComputerName is null ? new KvmTimeException(error.ErrorId, error.Kind, error.Message, error.InnerException) { ComputerName = name } : error;
    }
}
