using System.Globalization;

namespace KvmTime.Linux.ClockRead;

/// <summary>
/// The clock-read loops a target runs: python3 or perl over SSH (chosen by a POSIX sh wrapper), and
/// pwsh through a PSSession. Each prints the "key value" lines <see cref="ClockReadReportParser"/> reads.
/// </summary>
internal static class ClockReadScripts
{
    /// <summary>The exit code of the wrapper when the target has no interpreter it may use.</summary>
    public const int NoInterpreter = 3;

    public const int Repeats = 9;

    /// <summary>
    /// The sh wrapper: the first usable interpreter of those <paramref name="interpreter"/> allows,
    /// perl first: in bench/results/clock-read.md perl's figures land within 10% of C, python3's
    /// 20-30% off (its interpreter work overlaps the clock read, and a system call costs it more).
    /// </summary>
    public static string Shell(ClockReadInterpreter interpreter)
    {
        var python = interpreter != ClockReadInterpreter.Perl;
        var perl = interpreter != ClockReadInterpreter.Python3;
        var lines = new List<string> { "export KVMTIME_REPEATS=" + Repeats.ToString(CultureInfo.InvariantCulture) };
        if (perl)
        {
            lines.Add("if command -v perl >/dev/null 2>&1 && perl -MTime::HiRes -e 1 >/dev/null 2>&1; then perl - <<'KVMTIME_PL'");
            lines.Add(PerlLoop);
            lines.Add("KVMTIME_PL");
            lines.Add("exit $?; fi");
        }

        if (python)
        {
            lines.Add("if command -v python3 >/dev/null 2>&1; then python3 - <<'KVMTIME_PY'");
            lines.Add(PythonLoop);
            lines.Add("KVMTIME_PY");
            lines.Add("exit $?; fi");
        }

        lines.Add("exit " + NoInterpreter.ToString(CultureInfo.InvariantCulture));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The pwsh script for a PSSession: compiles the in-process loop there unless KvmTime is already loaded.</summary>
    public static string PowerShell => """
        param([string] $Source, [int] $Repeats)
        if (-not ('KvmTime.Targets.ClockReadLoop' -as [type])) { Add-Type -TypeDefinition $Source }
        [KvmTime.Targets.ClockReadLoop]::Run('PSSession', $Repeats)
        """;

    /// <summary>The C# source of the in-process loop, for the PSSession's Add-Type.</summary>
    public static string LoopSource()
    {
        using var stream = typeof(ClockReadScripts).Assembly.GetManifestResourceStream("KvmTime.ClockReadLoop.cs")
            ?? throw new InvalidOperationException("The ClockReadLoop source is not embedded in KvmTime.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // The overhead probe is the same call on CLOCK_MONOTONIC_COARSE: the interpreter does the same
    // work (argument parsing, the int it builds), and the vDSO answers it from its data page without
    // reading the clocksource. So the figure is the cost above a coarse read (a few ns in C).
    // The raw system call goes through ctypes, whose large cost cancels against ctypes' libc call;
    // that call gets a third (ignored) argument so both convert as many arguments.
    private const string PythonLoop = """
        import os, platform, time
        def say(k, v): print(k, v)
        def read(p):
            try:
                with open(p) as f: return f.read().strip()
            except OSError: return ""
        say("method", "Python3")
        say("arch", platform.machine())
        say("clocksource", read("/sys/devices/system/clocksource/clocksource0/current_clocksource"))
        say("cmdline", read("/proc/cmdline"))
        say("vdso_mapped", 1 if "[vdso]" in read("/proc/self/maps") else 0)
        say("timer_resolution_ns", max(1, round(time.clock_getres(time.CLOCK_MONOTONIC) * 1e9)))
        say("overhead_probe", "time.clock_gettime_ns(CLOCK_MONOTONIC_COARSE)")
        g, p = time.clock_gettime_ns, time.perf_counter_ns
        M, R, C = time.CLOCK_MONOTONIC, time.CLOCK_REALTIME, getattr(time, "CLOCK_MONOTONIC_COARSE", 6)
        def loop(c, n):
            a = p()
            for _ in range(n // 10):
                g(c); g(c); g(c); g(c); g(c); g(c); g(c); g(c); g(c); g(c)
            return (p() - a) / n
        n = 1000
        while loop(M, n) * n < 2e6 and n < 10**7: n *= 2
        say("iterations", n)
        repeats = int(os.environ.get("KVMTIME_REPEATS", "9"))
        say("repeats", repeats)
        ct = None
        if platform.machine() == "x86_64":
            try:
                import ctypes
                libc = ctypes.CDLL(None)
                ts = (ctypes.c_long * 2)()
                G, S = libc.clock_gettime, libc.syscall
                def lib(c, k):
                    a = p()
                    for _ in range(k): G(c, ts, 0)
                    return (p() - a) / k
                def sys(c, k):
                    a = p()
                    for _ in range(k): S(228, c, ts)
                    return (p() - a) / k
                ct = (lib, sys)
            except Exception:
                ct = None
        k = max(100, n // 50)
        for _ in range(repeats):
            say("sample", "overhead %.3f" % loop(C, n))
            say("sample", "monotonic %.3f" % loop(M, n))
            say("sample", "realtime %.3f" % loop(R, n))
            if ct:
                say("sample", "ctypes_libc_monotonic %.3f" % ct[0](M, k))
                say("sample", "ctypes_syscall_monotonic %.3f" % ct[1](M, k))
                say("sample", "ctypes_libc_realtime %.3f" % ct[0](R, k))
                say("sample", "ctypes_syscall_realtime %.3f" % ct[1](R, k))
        """;

    // Same probe as python's. Perl's syscall builtin gives the raw system call; its own call cost is
    // close to Time::HiRes', so the same overhead is subtracted.
    private const string PerlLoop = """
        use strict; use warnings; use POSIX (); use Time::HiRes ();
        sub rd { my ($p) = @_; open(my $f, '<', $p) or return ''; local $/; my $t = <$f>; close($f); $t = '' unless defined $t; $t =~ s/\s+\z//; return $t; }
        my $arch = (POSIX::uname())[4];
        print "method Perl\n", "arch $arch\n";
        print "clocksource ", rd('/sys/devices/system/clocksource/clocksource0/current_clocksource'), "\n";
        print "cmdline ", rd('/proc/cmdline'), "\n";
        print "vdso_mapped ", (index(rd('/proc/self/maps'), '[vdso]') >= 0 ? 1 : 0), "\n";
        print "timer_resolution_ns 1\n", "overhead_probe Time::HiRes::clock_gettime(CLOCK_MONOTONIC_COARSE)\n";
        my ($M, $R, $C) = (1, 0, 6);
        sub now { return Time::HiRes::clock_gettime(1); }
        sub hires { my ($c, $n) = @_; my $a = now(); for (1 .. $n / 10) { Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); Time::HiRes::clock_gettime($c); } return (now() - $a) * 1e9 / $n; }
        my $buf = "\0" x 16;
        sub raw { my ($c, $n) = @_; my $a = now(); for (1 .. $n) { syscall(228, $c, $buf); } return (now() - $a) * 1e9 / $n; }
        my $n = 1000;
        $n *= 2 while (hires($M, $n) * $n < 2e6 && $n < 1e7);
        my $repeats = $ENV{KVMTIME_REPEATS} || 9;
        print "iterations $n\n", "repeats $repeats\n";
        my $k = $n / 10 > 100 ? int($n / 10) : 100;
        for (1 .. $repeats) {
            printf "sample overhead %.3f\n", hires($C, $n);
            printf "sample monotonic %.3f\n", hires($M, $n);
            printf "sample realtime %.3f\n", hires($R, $n);
            if ($arch eq 'x86_64') {
                printf "sample syscall_monotonic %.3f\n", raw($M, $k);
                printf "sample syscall_realtime %.3f\n", raw($R, $k);
            }
        }
        """;
}
