/* The C reference for bench/ClockRead.bench.ps1: the same rounds as Measure-ClocksourceCost
   (calibrated to >= 2 ms, best of N), timing clock_gettime through libc and, on x86_64, the raw
   system call, and CLOCK_MONOTONIC_COARSE (the python3/perl overhead probe, answered from the
   vDSO's data page). Prints "monotonic <ns> realtime <ns> syscall_monotonic <ns>
   syscall_realtime <ns> coarse <ns>". */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static double now_ns(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }

static double libc_round(clockid_t id, long n) {
    struct timespec t; double a = now_ns();
    for (long i = 0; i < n; i++) clock_gettime(id, &t);
    return (now_ns() - a) / n;
}

static double syscall_round(clockid_t id, long n) {
    struct timespec t; double a = now_ns();
    for (long i = 0; i < n; i++) syscall(SYS_clock_gettime, id, &t);
    return (now_ns() - a) / n;
}

static double min(double a, double b) { return a < b ? a : b; }

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 9;
    long n = 1000;
    while (n < 50000000 && libc_round(CLOCK_MONOTONIC, n) * n < 2e6) n *= 2;
    long k = n / 10 > 100 ? n / 10 : 100;
    double m = 1e12, r = 1e12, sm = 1e12, sr = 1e12, c = 1e12;
    for (int i = 0; i < rounds; i++) {
        m = min(m, libc_round(CLOCK_MONOTONIC, n));
        r = min(r, libc_round(CLOCK_REALTIME, n));
        sm = min(sm, syscall_round(CLOCK_MONOTONIC, k));
        sr = min(sr, syscall_round(CLOCK_REALTIME, k));
        c = min(c, libc_round(CLOCK_MONOTONIC_COARSE, n));
    }
    printf("monotonic %.2f realtime %.2f syscall_monotonic %.2f syscall_realtime %.2f coarse %.2f\n", m, r, sm, sr, c);
    return 0;
}
