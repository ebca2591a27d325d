using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The specific failures of talking to a QEMU guest agent, shared by the socket client and the
/// virsh path so that both report the same error IDs for the same situation.
/// </summary>
internal static class GuestAgentFailures
{
    public static KvmTimeException SocketNotFound(string path) => new(ErrorIds.AgentSocketNotFound, FailureKind.ObjectNotFound,
        $"The guest agent socket '{path}' does not exist. Check the path of the -chardev socket that carries org.qemu.guest_agent.0, and that QEMU is running.");

    public static KvmTimeException NotConnected(string where, string detail) => new(ErrorIds.AgentNotConnected, FailureKind.ConnectionError,
        $"{where}: the QEMU guest agent is not connected ({detail}). Start qemu-ga in the guest (it needs the virtio-serial port org.qemu.guest_agent.0), or wait until the guest has booted.");

    public static KvmTimeException NotConfigured(string where) => new(ErrorIds.AgentNotConfigured, FailureKind.ResourceUnavailable,
        $"{where}: the domain has no guest agent channel. Add <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel> to the domain XML and install qemu-ga in the guest.");

    public static KvmTimeException Timeout(string where, string command, TimeSpan timeout) => new(ErrorIds.AgentTimeout, FailureKind.OperationTimeout,
        $"{where}: the guest agent did not answer {command} within {timeout.TotalSeconds:0.#} s. qemu-ga is not running in the guest, the guest is paused or overloaded, or another client holds the agent socket.");

    public static KvmTimeException CommandUnsupported(string where, string command, string why) => new(ErrorIds.AgentCommandUnsupported, FailureKind.NotImplemented,
        $"{where}: the guest agent cannot run {command} ({why}). On Linux guests qemu-ga needs /sbin/hwclock for guest-set-time; check that the command is not disabled with qemu-ga --block-rpcs.");

    public static KvmTimeException CommandFailed(string where, string command, string errorClass, string description) => new(ErrorIds.AgentCommandFailed, FailureKind.InvalidOperation,
        $"{where}: the guest agent refused {command}: {errorClass}: {description}");

    public static KvmTimeException ProtocolError(string where, string detail) => new(ErrorIds.AgentProtocolError, FailureKind.InvalidData,
        $"{where}: the guest agent sent something that is not a QEMU guest agent reply ({detail}). Check that the socket is the org.qemu.guest_agent.0 channel and not a monitor or serial console.");
}
