using KvmTime.Linux;
using KvmTime.Model;

namespace KvmTime.Health;

/// <summary>Everything one Linux target's single round trip told, parsed by the existing readers.</summary>
internal sealed class LinuxHealthFacts
{
    public required string ComputerName { get; init; }

    public required ClocksourceInfo Clock { get; init; }

    /// <summary>The first CPU of /proc/cpuinfo; null when it had no flags line.</summary>
    public CpuInfo? Cpu { get; init; }

    /// <summary>/proc/cmdline, parsed.</summary>
    public required IReadOnlyList<KernelArgument> KernelArguments { get; init; }

    public required GuestTimeSyncStatus TimeSync { get; init; }

    /// <summary>chrony.conf as chronyd reads it (settings drop-ins in place), and its path; nulls without chrony.conf.</summary>
    public string? ChronyConfigPath { get; init; }

    public string? ChronyConfig { get; init; }

    /// <summary>The chronyd binary is installed and its service is one Set-GuestTimeSync knows how to start (systemd, OpenRC, init script, service).</summary>
    public bool ChronydStartable { get; init; }

    /// <summary>The kernel's TSC-unstable events of this boot, with Get-ClocksourceEvent's verdicts; null when the kernel log could not be read.</summary>
    public IReadOnlyList<ClocksourceEvent>? TscUnstableEvents { get; init; }

    /// <summary>The boot arguments that force the TSC unstable (notsc, tsc=unstable).</summary>
    public required IReadOnlyList<string> TscUnstableArguments { get; init; }

    /// <summary>Running against next-boot timing arguments; null when the boot loader could not be read.</summary>
    public KernelBootArguments? BootArguments { get; init; }

    public required CpuIdle Idle { get; init; }

    public required CpuFrequencyPolicy Frequency { get; init; }

    /// <summary>The running domains of a KVM host with their live XML; null when this is no host or virsh could not list them.</summary>
    public IReadOnlyList<RunningDomain>? Domains { get; init; }

    /// <summary>Why the domains could not be listed on a KVM host, or null.</summary>
    public string? DomainsError { get; init; }

    public bool IsVirtualMachine => Cpu?.Has("hypervisor") == true;
}
