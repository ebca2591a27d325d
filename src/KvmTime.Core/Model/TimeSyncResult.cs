namespace KvmTime.Model;

/// <summary>What one Sync-GuestTime did to one guest clock, and how far off the clock was before and after.</summary>
public sealed class TimeSyncResult
{
    /// <summary>The machine the work ran on: the KVM host for host-side syncs, the guest for in-guest syncs.</summary>
    public required string ComputerName { get; init; }

    /// <summary>The libvirt domain or agent socket path (host side); null for in-guest syncs.</summary>
    public string? Domain { get; init; }

    /// <summary>Virsh, GuestAgent, Chrony, Ntpd or Timesyncd.</summary>
    public required string Method { get; init; }

    /// <summary>The exact action that ran (or would run, with -WhatIf).</summary>
    public required string Action { get; init; }

    /// <summary>Guest clock minus reference before the sync: positive when the guest was ahead.</summary>
    public TimeSpan? OffsetBefore { get; init; }

    /// <summary>Guest clock minus reference after the sync, read again; null when it could not be measured.</summary>
    public TimeSpan? OffsetAfter { get; init; }

    /// <summary>The reference: the host clock for host-side syncs, the NTP source for in-guest syncs.</summary>
    public string? Source { get; init; }

    /// <summary>True when the action ran and the offset afterwards is within the tolerance (-MaxOffset, else 1 s).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>False when the sync was only shown (-WhatIf): the offset before was measured, nothing ran.</summary>
    public bool Applied { get; init; } = true;

    public required string Message { get; init; }

    /// <summary>What made Watch-GuestTime correct this guest: the libvirt event ("lifecycle: Resumed Unpaused", "agent-lifecycle: state: 'connected' ...") or "poll"; null for Sync-GuestTime.</summary>
    public string? Trigger { get; init; }

    /// <summary>When the triggering event reached the host's virsh (UTC); null for polls and Sync-GuestTime.</summary>
    public DateTime? TriggerTime { get; init; }

    /// <summary>When the offset afterwards had been read (UTC, this machine's clock); null when nothing was applied.</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>The same sync, marked failed with a longer message.</summary>
    public TimeSyncResult AsFailed(string message) => new()
    {
        ComputerName = ComputerName,
        Domain = Domain,
        Method = Method,
        Action = Action,
        OffsetBefore = OffsetBefore,
        OffsetAfter = OffsetAfter,
        Source = Source,
        Succeeded = false,
        Applied = Applied,
        Message = message,
        Trigger = Trigger,
        TriggerTime = TriggerTime,
        CompletedAt = CompletedAt,
    };

    public override string ToString() => $"{ComputerName}{(Domain is null ? string.Empty : "/" + Domain)}: {Method} {(Succeeded ? "ok" : "failed")}";
}
