using System.Runtime.InteropServices;

namespace KvmTime.Fuzz;

/// <summary>
/// The CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): unlike wall time it does not grow
/// when a busy machine takes the core away, so "too slow" means the parser, not the neighbours.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    public static TimeSpan Now()
    {
        if (!OperatingSystem.IsLinux() || ClockGetTime(ClockThreadCpuTime, out var spec) != 0)
        {
            return TimeSpan.FromTicks(Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
        }

        return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
