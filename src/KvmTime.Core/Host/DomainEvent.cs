namespace KvmTime.Host;

/// <summary>
/// One libvirt domain event as <c>virsh event --timestamp</c> prints it, for example
/// <c>lifecycle</c> / <c>Resumed Unpaused</c> or <c>agent-lifecycle</c> / <c>state: 'connected' reason: 'channel event'</c>.
/// </summary>
/// <param name="Time">When virsh received it (UTC); null when the line had no timestamp.</param>
/// <param name="Type">The event type: lifecycle, agent-lifecycle, reboot, rtc-change, ...</param>
/// <param name="Domain">The domain it is about.</param>
/// <param name="Detail">The rest of the line: for lifecycle the event and its reason.</param>
internal sealed record DomainEvent(DateTime? Time, string Type, string Domain, string Detail)
{
    /// <summary>The event as a result's Trigger shows it: "lifecycle: Resumed Unpaused".</summary>
    public string Description => $"{Type}: {Detail}";
}
