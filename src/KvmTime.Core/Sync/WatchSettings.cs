namespace KvmTime.Sync;

/// <summary>The limits Watch-GuestTime keeps guests within, from its parameters.</summary>
internal sealed record WatchSettings
{
    /// <summary>A poll steps a guest further off than this; a step is verified against it too.</summary>
    public TimeSpan MaxDrift { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A guest ahead of the host by more than this is reported, not stepped back, unless <see cref="AllowBackward"/>.</summary>
    public TimeSpan MaxBackwardStep { get; init; } = TimeSpan.FromSeconds(1);

    public bool AllowBackward { get; init; }

    /// <summary>How often every watched guest's offset is read.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An event steps a guest further off than this: below it a step gains nothing measurable.</summary>
    public static readonly TimeSpan EventThreshold = TimeSpan.FromMilliseconds(10);
}
