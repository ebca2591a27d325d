using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The specific failures of talking to a QEMU guest agent, shared by the socket client and the
/// virsh path so that both report the same error IDs for the same situation.
/// </summary>
internal static class GuestAgentFailures
{
    public static KvmTimeException SocketNotFound(string path) => new(ErrorIds.AgentSocketNotFound, FailureKind.ObjectNotFound,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentSocketNotFound, path));

    public static KvmTimeException NotConnected(string where, string detail) => new(ErrorIds.AgentNotConnected, FailureKind.ConnectionError,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentNotConnected, where, detail));

    public static KvmTimeException NotConfigured(string where) => new(ErrorIds.AgentNotConfigured, FailureKind.ResourceUnavailable,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentNotConfigured, where));

    public static KvmTimeException Timeout(string where, string command, TimeSpan timeout) => new(ErrorIds.AgentTimeout, FailureKind.OperationTimeout,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentTimeout, where, command, timeout.TotalSeconds));

    public static KvmTimeException CommandUnsupported(string where, string command, string why) => new(ErrorIds.AgentCommandUnsupported, FailureKind.NotImplemented,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentCommandUnsupported, where, command, why));

    public static KvmTimeException CommandFailed(string where, string command, string errorClass, string description) => new(ErrorIds.AgentCommandFailed, FailureKind.InvalidOperation,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentCommandFailed, where, command, errorClass, description));

    public static KvmTimeException ProtocolError(string where, string detail) => new(ErrorIds.AgentProtocolError, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.AgentProtocolError, where, detail));
}
