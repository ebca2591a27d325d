namespace KvmTime.Model;

/// <summary>One problem Test-KvmTimeHealth found on a target, with what it read and the command that fixes it.</summary>
public sealed class HealthFinding
{
    /// <summary>A stable identifier (for example MakestepMissing), the same on every target and in the Prometheus label.</summary>
    public required string Id { get; init; }

    public required HealthFindingSeverity Severity { get; init; }

    /// <summary>What the finding is about when it is not the target itself: a libvirt domain's name on a KVM host; otherwise null.</summary>
    public string? Subject { get; init; }

    /// <summary>One sentence: what is wrong and why it matters for a VM's clock.</summary>
    public required string Message { get; init; }

    /// <summary>The exact line or value that was read, as it was read (a kernel log line, a sysfs value, a config line).</summary>
    public required string Evidence { get; init; }

    /// <summary>Where the evidence was read (a file path or a command), so a user can look for themselves.</summary>
    public string? EvidenceSource { get; init; }

    /// <summary>A command of this module that fixes the finding when run as written (add -WhatIf to see the change first); null when no command can (for example a CPU without an invariant TSC).</summary>
    public string? Fix { get; init; }

    public override string ToString() => Subject is null ? $"{Severity} {Id}: {Message}" : $"{Severity} {Id} ({Subject}): {Message}";
}
