namespace KvmTime.Sync;

/// <summary>What made Watch-GuestTime look at a guest: a libvirt event, or the interval poll.</summary>
/// <param name="Description">"lifecycle: Resumed Unpaused", "agent-lifecycle: state: 'connected' ...", or "poll".</param>
/// <param name="Time">When the event arrived (UTC); null for a poll.</param>
/// <param name="ByEvent">True for an event: then any measurable offset is stepped, not only one beyond -MaxDrift.</param>
internal sealed record SyncTrigger(string Description, DateTime? Time, bool ByEvent)
{
    public static readonly SyncTrigger Poll = new("poll", null, false);

    /// <summary>True for the one second look a moment after an event's step that landed too far off.</summary>
    public bool IsFollowUp { get; init; }

    /// <summary>The second look after a step that ended <paramref name="offsetAfter"/> off: same event and time, marked in the description.</summary>
    public SyncTrigger FollowUp(TimeSpan offsetAfter) =>
        this with { Description = $"{Description} (again: {TimeSyncVerdict.Format(offsetAfter)} after the first step)", IsFollowUp = true };
}
