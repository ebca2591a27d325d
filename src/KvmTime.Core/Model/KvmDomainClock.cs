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

    public required IReadOnlyList<DomainTimer> Timers { get; init; }

    /// <summary>The &lt;features&gt;&lt;hyperv&gt; enlightenments; empty when the domain has none.</summary>
    public required IReadOnlyList<HyperVEnlightenment> HyperV { get; init; }

    /// <summary>Linux or Windows when the clock is exactly that preset of Set-KvmDomainClock; otherwise null.</summary>
    public string? MatchesPreset { get; init; }

    public override string ToString() => $"{ComputerName}/{Domain}: offset={Offset} {string.Join(' ', Timers)}";
}
