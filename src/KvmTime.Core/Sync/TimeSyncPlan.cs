using KvmTime.Model;

namespace KvmTime.Sync;

/// <summary>
/// A decided sync, not yet applied: what was measured, the exact action that would run, and how to
/// run it. The cmdlet asks ShouldProcess with <see cref="Action"/> on the pipeline thread and only
/// then calls <see cref="ApplyAsync"/>.
/// </summary>
public sealed class TimeSyncPlan
{
    public required string ComputerName { get; init; }

    public string? Domain { get; init; }

    public required string Method { get; init; }

    /// <summary>The exact command or agent call, as -WhatIf shows it.</summary>
    public required string Action { get; init; }

    public TimeSpan? OffsetBefore { get; init; }

    public string? Source { get; init; }

    /// <summary>What ShouldProcess names as the target: the guest, or domain on host.</summary>
    public string Target => Domain is null ? ComputerName : $"{Domain} on {ComputerName}";

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
    };

    /// <summary>Runs the action, re-reads the offset and returns the raw result (before the tolerance check).</summary>
    public required Func<CancellationToken, Task<TimeSyncResult>> ApplyAsync { get; init; }
}
