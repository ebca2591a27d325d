namespace KvmTime.Host;

/// <summary>What a domain event means for its guest's clock.</summary>
internal enum ClockEventReaction
{
    /// <summary>Nothing for the clock (suspended, defined, reboot, ...).</summary>
    Ignore,

    /// <summary>The clock is likely wrong now: resumed, restored, reverted to a snapshot, migrated in, or the agent just connected.</summary>
    Correct,

    /// <summary>A fresh boot: the guest reads the host's RTC; step it once its agent connects (an agent-lifecycle event follows).</summary>
    AwaitAgent,

    /// <summary>The domain stopped: forget that it waits for its agent.</summary>
    Forget,
}

/// <summary>Which libvirt events make a guest's clock wrong (lifecycle event names are libvirt's virsh strings).</summary>
internal static class ClockEventRules
{
    public static ClockEventReaction React(DomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var detail = domainEvent.Detail;
        return domainEvent.Type switch
        {
            "agent-lifecycle" => detail.StartsWith("state: 'connected'", StringComparison.Ordinal) ? ClockEventReaction.Correct : ClockEventReaction.Ignore,
            "lifecycle" when detail.StartsWith("Resumed", StringComparison.Ordinal) => ClockEventReaction.Correct,
            "lifecycle" when detail == "Started Booted" => ClockEventReaction.AwaitAgent,
            "lifecycle" when detail.StartsWith("Started", StringComparison.Ordinal) => ClockEventReaction.Correct,
            "lifecycle" when detail.StartsWith("Stopped", StringComparison.Ordinal) || detail.StartsWith("Shutdown Finished", StringComparison.Ordinal) => ClockEventReaction.Forget,
            _ => ClockEventReaction.Ignore,
        };
    }
}
