namespace KvmTime.Model;

/// <summary>One Hyper-V enlightenment in a libvirt domain's &lt;features&gt;&lt;hyperv&gt;, e.g. stimer or spinlocks.</summary>
public sealed class HyperVEnlightenment
{
    /// <summary>The element name: relaxed, vapic, spinlocks, vpindex, runtime, synic, stimer, frequencies, tlbflush, ipi, ...</summary>
    public required string Name { get; init; }

    /// <summary>state='on'|'off'.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The element's value where it has one: spinlocks retries, vendor_id value.</summary>
    public string? Value { get; init; }

    public override string ToString() => Value is null ? $"{Name}={(Enabled ? "on" : "off")}" : $"{Name}={Value}";
}
