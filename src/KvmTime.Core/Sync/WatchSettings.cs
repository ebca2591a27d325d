using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

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

    /// <summary>How long to watch; null: until cancelled.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>An event steps a guest further off than this: below it a step gains nothing measurable.</summary>
    public static readonly TimeSpan EventThreshold = TimeSpan.FromMilliseconds(10);

    /// <summary>Refuses settings the watch cannot keep, before any host is contacted.</summary>
    public WatchSettings Validated()
    {
        Require(Interval >= TimeSpan.FromSeconds(1), Messages.WatchIntervalTooShort);
        Require(MaxDrift >= EventThreshold, string.Format(CultureInfo.InvariantCulture, Messages.WatchMaxDriftTooSmall, EventThreshold.TotalMilliseconds));
        Require(MaxBackwardStep >= TimeSpan.Zero, Messages.WatchMaxBackwardStepNegative);
        Require(Duration is null || Duration > TimeSpan.Zero, Messages.WatchDurationNotPositive);
        return this;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new KvmTimeException(ErrorIds.InvalidWatchSetting, FailureKind.InvalidArgument, message);
        }
    }
}
