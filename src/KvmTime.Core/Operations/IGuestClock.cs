using KvmTime.Host;

namespace KvmTime.Operations;

/// <summary>A guest clock the KVM host can read and set: through virsh, or straight through the agent socket.</summary>
internal interface IGuestClock
{
    /// <summary>The host the guest runs on.</summary>
    string ComputerName { get; }

    /// <summary>The libvirt domain name or the agent socket path.</summary>
    string Domain { get; }

    /// <summary>Virsh or GuestAgent.</summary>
    string Method { get; }

    /// <summary>The exact set action, as -WhatIf shows it.</summary>
    string SetAction { get; }

    /// <summary>Checks that the guest can be synced (exists, runs, agent answers and offers guest-set-time) and reads its offset.</summary>
    Task<GuestClockSample> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Sets the guest clock to the host's plus <paramref name="lead"/> (the expected latency of the call) and reads the offset again.</summary>
    Task<GuestClockSample> SetAndReadAsync(TimeSpan lead, CancellationToken cancellationToken);
}
