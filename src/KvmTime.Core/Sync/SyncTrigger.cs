namespace KvmTime.Sync;

/// <summary>What made Watch-GuestTime look at a guest: a libvirt event, or the interval poll.</summary>
/// <param name="Description">"lifecycle: Resumed Unpaused", "agent-lifecycle: state: 'connected' ...", or "poll".</param>
/// <param name="Time">When the event arrived (UTC); null for a poll.</param>
/// <param name="ByEvent">True for an event: then any measurable offset is stepped, not only one beyond -MaxDrift.</param>
public sealed record SyncTrigger(string Description, DateTime? Time, bool ByEvent)
{
    public static readonly SyncTrigger Poll = new("poll", null, false);
}
