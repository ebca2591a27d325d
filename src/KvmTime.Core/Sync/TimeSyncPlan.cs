using System.Globalization;
using KvmTime.Changes;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Sync;

/// <summary>
/// A decided sync, not yet applied, as data: what was measured and the exact action that would run.
/// In-guest Linux syncs carry their step commands; host-side and w32time syncs are named by
/// <see cref="Method"/> and <see cref="Domain"/>.
/// </summary>
internal sealed class TimeSyncPlan : IChangePlan
{
    public required string ComputerName { get; init; }

    /// <summary>The libvirt domain or agent socket path (host side); null for in-guest syncs.</summary>
    public string? Domain { get; init; }

    public required string Method { get; init; }

    /// <summary>The exact command or agent call, as -WhatIf shows it.</summary>
    public required string Action { get; init; }

    public TimeSpan? OffsetBefore { get; init; }

    public string? Source { get; init; }

    /// <summary>What made Watch-GuestTime look at this guest: a libvirt event ("lifecycle: Resumed Unpaused") or "poll"; null for Sync-GuestTime.</summary>
    public string? Trigger { get; init; }

    /// <summary>When the triggering event arrived (UTC), as virsh stamped it; null for polls and Sync-GuestTime.</summary>
    public DateTime? TriggerTime { get; init; }

    /// <summary>In-guest Linux: the commands that step the clock and measure again, run as one gather.</summary>
    public GatherRequest? Steps { get; init; }

    /// <summary>What ShouldProcess names as the target: the guest, or domain on host.</summary>
    public string Target => Domain is null ? ComputerName : $"{Domain} on {ComputerName}";

    /// <summary>A sync always acts: the step is the point, even when the clock is already close.</summary>
    public bool IsChange => true;

    public bool RestartRequired => false;

    public bool RebootRequired => false;

    public IReadOnlyList<string> Warnings => [];

    public string Describe() =>
        $"# offset now: {(OffsetBefore is { } offset ? TimeSyncVerdict.Format(offset) : "unknown")}{(Source is null ? string.Empty : $" (against {Source})")}\n"
        + (Trigger is null ? string.Empty : $"# trigger: {Trigger}\n");

    /// <summary>The result of this plan once applied.</summary>
    public TimeSyncResult Result(TimeSpan? offsetAfter, bool succeeded, string message) => new()
    {
        ComputerName = ComputerName,
        Domain = Domain,
        Method = Method,
        Action = Action,
        OffsetBefore = OffsetBefore,
        OffsetAfter = offsetAfter,
        Source = Source,
        Succeeded = succeeded,
        Message = message,
        Trigger = Trigger,
        TriggerTime = TriggerTime,
        CompletedAt = DateTime.UtcNow,
    };

    /// <summary>The result of a sync that was only shown (-WhatIf): measured before, nothing run.</summary>
    public TimeSyncResult NotApplied() => new()
    {
        ComputerName = ComputerName,
        Domain = Domain,
        Method = Method,
        Action = Action,
        OffsetBefore = OffsetBefore,
        Source = Source,
        Succeeded = false,
        Applied = false,
        Message = string.Format(CultureInfo.InvariantCulture, Messages.NotApplied, Action),
        Trigger = Trigger,
        TriggerTime = TriggerTime,
    };
}
