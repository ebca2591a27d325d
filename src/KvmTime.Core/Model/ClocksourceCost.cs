namespace KvmTime.Model;

/// <summary>What one clock read costs on a machine with its current clocksource, and how it was measured.</summary>
public sealed record ClocksourceCost
{
    public required string ComputerName { get; init; }

    /// <summary>The clocksource in use while the loop ran.</summary>
    public required string Clocksource { get; init; }

    /// <summary>ns per clock_gettime(CLOCK_MONOTONIC) through libc, the method's own overhead subtracted.</summary>
    public required double MonotonicNs { get; init; }

    /// <summary>ns per clock_gettime(CLOCK_REALTIME) through libc, the method's own overhead subtracted.</summary>
    public required double RealtimeNs { get; init; }

    /// <summary>ns per raw clock_gettime system call (SYS_clock_gettime), CLOCK_MONOTONIC; null where none was timed.</summary>
    public double? SyscallMonotonicNs { get; init; }

    /// <summary>ns per raw clock_gettime system call, CLOCK_REALTIME; null where none was timed.</summary>
    public double? SyscallRealtimeNs { get; init; }

    /// <summary>Measured: whether the vDSO serves CLOCK_MONOTONIC (libc well below the system call) or falls back to it.</summary>
    public required ClockReadPath MonotonicPath { get; init; }

    /// <summary>Measured, as <see cref="MonotonicPath"/>, for CLOCK_REALTIME.</summary>
    public required ClockReadPath RealtimePath { get; init; }

    /// <summary>The kernel's signal: the clocksource has a vDSO clock mode (and no-kvmclock-vsyscall does not take it out).</summary>
    public required bool IsVdsoCapable { get; init; }

    /// <summary>The kernel's signal: [vdso] is mapped into the measuring process (/proc/self/maps); null when unreadable.</summary>
    public bool? IsVdsoMapped { get; init; }

    /// <summary>MonotonicNs as a percentage of kvm-clock's on the same machine, when both are known (kvm-clock is 100).</summary>
    public double? PercentOfKvmClock { get; init; }

    /// <summary>How the loop ran: InProcess, PSSession (that session's pwsh), Python3 or Perl (over SSH).</summary>
    public required string Method { get; init; }

    /// <summary>The call the method timed as its own overhead, and subtracted.</summary>
    public required string OverheadProbe { get; init; }

    /// <summary>ns per call the method spends around the clock read itself (subtracted from the figures).</summary>
    public required double OverheadNs { get; init; }

    /// <summary>The method's resolution: the spread (median minus best) of MonotonicNs over the rounds; closer figures are not told apart.</summary>
    public required double ResolutionNs { get; init; }

    /// <summary>Clock reads per timed round.</summary>
    public required long Iterations { get; init; }

    /// <summary>Rounds; each figure is the best round's.</summary>
    public required int Repeats { get; init; }

    /// <summary>The machine's architecture (the raw system call is timed on x86_64 only).</summary>
    public required string Architecture { get; init; }

    public override string ToString() => $"{ComputerName}: {Clocksource} {MonotonicNs:0.0} ns";
}
