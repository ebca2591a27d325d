namespace KvmTime.Model;

/// <summary>One &lt;timer&gt; of a libvirt domain's &lt;clock&gt;: a piece of virtual clock hardware and how it ticks.</summary>
public sealed class DomainTimer
{
    /// <summary>kvmclock, hypervclock, hpet, rtc, pit, tsc or platform.</summary>
    public required string Name { get; init; }

    /// <summary>present='yes'|'no'; null when the XML leaves it to the hypervisor's default.</summary>
    public bool? Present { get; init; }

    /// <summary>What to do with ticks the guest missed: delay, catchup, merge or discard.</summary>
    public string? TickPolicy { get; init; }

    /// <summary>rtc only: what the RTC follows (boot, guest or wall).</summary>
    public string? Track { get; init; }

    /// <summary>tsc only: the frequency in Hz the guest sees.</summary>
    public long? Frequency { get; init; }

    /// <summary>tsc only: auto, native, emulate, paravirt or smpsafe.</summary>
    public string? Mode { get; init; }

    /// <summary>tickpolicy='catchup' only: the &lt;catchup threshold&gt; in ticks.</summary>
    public long? CatchupThreshold { get; init; }

    /// <summary>tickpolicy='catchup' only: the &lt;catchup slew&gt;.</summary>
    public long? CatchupSlew { get; init; }

    /// <summary>tickpolicy='catchup' only: the &lt;catchup limit&gt;.</summary>
    public long? CatchupLimit { get; init; }

    /// <summary>The &lt;catchup&gt; child's attributes, in the order libvirt writes them.</summary>
    public IEnumerable<(string Name, string Value)> CatchupAttributes()
    {
        foreach (var (name, value) in new[] { ("threshold", CatchupThreshold), ("slew", CatchupSlew), ("limit", CatchupLimit) })
        {
            if (value is long number)
            {
                yield return (name, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>The settings given, in the order libvirt writes them, without the name.</summary>
    public IEnumerable<(string Name, string Value)> Attributes()
    {
        if (Present is bool present)
        {
            yield return ("present", present ? "yes" : "no");
        }

        if (TickPolicy is not null)
        {
            yield return ("tickpolicy", TickPolicy);
        }

        if (Track is not null)
        {
            yield return ("track", Track);
        }

        if (Frequency is long frequency)
        {
            yield return ("frequency", frequency.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (Mode is not null)
        {
            yield return ("mode", Mode);
        }
    }

    public override string ToString()
    {
        var catchup = CatchupAttributes().Select(a => $"{a.Name}:{a.Value}").ToList();
        var settings = string.Join(',', Attributes().Select(a => $"{a.Name}={a.Value}")
            .Concat(catchup.Count == 0 ? [] : [$"catchup={string.Join('/', catchup)}"]));
        return settings.Length == 0 ? Name : $"{Name}({settings})";
    }
}
