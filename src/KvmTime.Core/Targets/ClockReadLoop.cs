// This file is also compiled on the far side of a PSSession (Add-Type), so it stands alone:
// no other KvmTime type, no source generators, only what the remote pwsh has.
#pragma warning disable SYSLIB1054 // Add-Type runs no source generator, so LibraryImport cannot be used here.
using System;
using System.Diagnostics;
using System.IO;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmTime.Targets;

/// <summary>
/// Times clock_gettime(CLOCK_MONOTONIC and CLOCK_REALTIME) through libc (the vDSO when it serves
/// the clock) and, on x86_64, through the raw system call, in this process. Prints the same
/// "key value" lines as the python3 and perl loops, so one parser reads all of them.
/// </summary>
public static class ClockReadLoop
{
    private const int Realtime = 0;
    private const int Monotonic = 1;
    private const long SysClockGettimeX64 = 228;

    /// <summary>Runs <paramref name="repeats"/> interleaved rounds and returns the report text.</summary>
    public static string Run(string method, int repeats)
    {
        var text = new StringBuilder();
        var isX64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        Say(text, "method", method);
        Say(text, "arch", isX64 ? "x86_64" : RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant());
        Say(text, "clocksource", ReadOrEmpty("/sys/devices/system/clocksource/clocksource0/current_clocksource"));
        Say(text, "cmdline", ReadOrEmpty("/proc/cmdline"));
        Say(text, "vdso_mapped", ReadOrEmpty("/proc/self/maps").Contains("[vdso]", StringComparison.Ordinal) ? "1" : "0");
        Say(text, "timer_resolution_ns", (1e9 / Stopwatch.Frequency).ToString("0.###", CultureInfo.InvariantCulture));
        Say(text, "overhead_probe", "none: a direct native call, as C makes it");
        var iterations = Calibrate();
        Say(text, "iterations", iterations.ToString(CultureInfo.InvariantCulture));
        Say(text, "repeats", repeats.ToString(CultureInfo.InvariantCulture));
        for (var round = 0; round < repeats; round++)
        {
            Sample(text, "monotonic", TimeLibc(Monotonic, iterations));
            Sample(text, "realtime", TimeLibc(Realtime, iterations));
            if (isX64)
            {
                // A system call costs ~10x a vDSO read: fewer iterations keep each round short.
                Sample(text, "syscall_monotonic", TimeSyscall(Monotonic, Math.Max(iterations / 10, 100)));
                Sample(text, "syscall_realtime", TimeSyscall(Realtime, Math.Max(iterations / 10, 100)));
            }
        }

        return text.ToString();
    }

    // Enough iterations for a round of at least 2 ms, so the timer's own cost vanishes.
    private static long Calibrate()
    {
        long n = 1000;
        while (n < 50_000_000 && TimeLibc(Monotonic, n) * n < 2_000_000)
        {
            n *= 2;
        }

        return n;
    }

    // Fully optimized at once: a tier-0 loop would time the JIT, not the clock.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TimeLibc(int clock, long n)
    {
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++)
        {
            _ = ClockGettime(clock, out _);
        }

        return PerCall(start, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TimeSyscall(int clock, long n)
    {
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < n; i++)
        {
            _ = Syscall(SysClockGettimeX64, clock, out _);
        }

        return PerCall(start, n);
    }

    private static double PerCall(long start, long n) =>
        (Stopwatch.GetTimestamp() - start) * (1e9 / Stopwatch.Frequency) / n;

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static void Say(StringBuilder text, string key, string value) => text.Append(key).Append(' ').Append(value).Append('\n');

    private static void Sample(StringBuilder text, string kind, double nsPerCall) =>
        Say(text, "sample", kind + " " + nsPerCall.ToString("0.###", CultureInfo.InvariantCulture));

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    // SuppressGCTransition: both calls are short and never block, so the call costs what C's does.
    [DllImport("libc.so.6", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern int ClockGettime(int clock, out Timespec time);

    [DllImport("libc.so.6", EntryPoint = "syscall")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [SuppressGCTransition]
    private static extern long Syscall(long number, int clock, out Timespec time);
}
