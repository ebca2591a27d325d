namespace KvmTime.Linux;

/// <summary>The boot arguments Set-GuestClocksource manages, by what they do.</summary>
public enum ClocksourceBootArgument
{
    /// <summary>clocksource=NAME: the source the kernel selects at boot.</summary>
    Clocksource,

    /// <summary>tsc=reliable: no TSC stability checks at boot and no watchdog (Red Hat guidance for guests).</summary>
    TscReliable,

    /// <summary>no-kvmclock: the guest does not register kvm-clock at all.</summary>
    NoKvmClock,
}
