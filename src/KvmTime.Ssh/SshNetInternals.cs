using System.Reflection;
using Renci.SshNet;
using Renci.SshNet.Messages;
using Renci.SshNet.Messages.Transport;
using Renci.SshNet.Security;

namespace KvmTime.Ssh;

/// <summary>
/// The three SSH.NET members a key exchange of our own needs and SSH.NET does not make public:
/// the hybrid reply event, the hybrid init message, and the host-key check that verifies the
/// server's signature of the exchange hash. Found once by name in the SSH.NET version this build
/// ships (a test fails if one goes missing); without them SSH.NET's own implementation is used.
/// </summary>
internal static class SshNetInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private static readonly EventInfo? HybridReplyEvent = typeof(Session).GetEvent("KeyExchangeHybridReplyMessageReceived", Instance);
    private static readonly ConstructorInfo? HybridInitConstructor = typeof(Session).Assembly
        .GetType("Renci.SshNet.Messages.Transport.KeyExchangeHybridInitMessage")?.GetConstructor(Instance, [typeof(byte[])]);
    private static readonly MethodInfo? CheckHostKeyAndSignature = typeof(KeyExchange)
        .GetMethod("ValidateExchangeHash", Instance, [typeof(byte[]), typeof(byte[])]);

    public static bool Available =>
        HybridReplyEvent?.GetAddMethod(true) is not null && HybridReplyEvent.GetRemoveMethod(true) is not null &&
        HybridReplyEvent.EventHandlerType == typeof(EventHandler<MessageEventArgs<KeyExchangeHybridReplyMessage>>) &&
        HybridInitConstructor is not null && CheckHostKeyAndSignature?.ReturnType == typeof(bool);

    public static void AddHybridReplyHandler(Session session, EventHandler<MessageEventArgs<KeyExchangeHybridReplyMessage>> handler) =>
        HybridReplyEvent!.GetAddMethod(true)!.Invoke(session, [handler]);

    public static void RemoveHybridReplyHandler(Session session, EventHandler<MessageEventArgs<KeyExchangeHybridReplyMessage>> handler) =>
        HybridReplyEvent!.GetRemoveMethod(true)!.Invoke(session, [handler]);

    public static Message HybridInit(byte[] clientExchangeValue) => (Message)HybridInitConstructor!.Invoke([clientExchangeValue]);

    /// <summary>SSH.NET's own check: the host key is trusted (our known_hosts policy decides) and signed the exchange hash.</summary>
    public static bool ValidateExchangeHash(KeyExchange keyExchange, byte[] hostKey, byte[] signature) =>
        (bool)CheckHostKeyAndSignature!.Invoke(keyExchange, [hostKey, signature])!;
}
