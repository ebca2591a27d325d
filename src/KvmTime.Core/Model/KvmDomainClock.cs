namespace KvmTime.Model;

/// <summary>A libvirt domain's virtual clock hardware, as its persistent definition says.</summary>
public sealed class KvmDomainClock
{
    /// <summary>The KVM host the domain is defined on.</summary>
    public required string ComputerName { get; init; }

    public required string Domain { get; init; }

    public required string LibvirtUri { get; init; }

    /// <summary>virsh domstate: running, shut off, paused, ...</summary>
    public required string State { get; init; }

    /// <summary>&lt;clock offset&gt;: utc, localtime, timezone or variable; utc when the domain has no &lt;clock&gt;.</summary>
    public required string Offset { get; init; }

    /// <summary>&lt;clock adjustment&gt;: seconds added to the basis (offset variable), or 'reset'; null when absent.</summary>
    public string? Adjustment { get; init; }

    /// <summary>&lt;clock basis&gt;: utc or localtime, what a variable offset's adjustment counts from; null when absent.</summary>
    public string? Basis { get; init; }

    /// <summary>&lt;clock timezone&gt;: the guest RTC's zone when the offset is timezone; null otherwise.</summary>
    public string? Timezone { get; init; }

    /// <summary>With offset='absolute': the epoch seconds the guest's RTC starts at.</summary>
    public string? Start { get; init; }

    /// <summary>The policy of the invtsc feature in the domain's &lt;cpu&gt; (require, force, optional, disable, forbid); null when not named.</summary>
    public string? InvariantTsc { get; init; }

    public required IReadOnlyList<DomainTimer> Timers { get; init; }

    /// <summary>The &lt;features&gt;&lt;hyperv&gt; enlightenments; empty when the domain has none.</summary>
    public required IReadOnlyList<HyperVEnlightenment> HyperV { get; init; }

    /// <summary>Linux or Windows when the clock is exactly that preset of Set-KvmDomainClock; otherwise null.</summary>
    public string? MatchesPreset { get; init; }

    public override string ToString() => $"{ComputerName}/{Domain}: offset={Offset}{(Adjustment is null ? string.Empty : $" adjustment={Adjustment}")}{(Basis is null ? string.Empty : $" basis={Basis}")}{(Timezone is null ? string.Empty : $" timezone={Timezone}")} {string.Join(' ', Timers)}";
}
