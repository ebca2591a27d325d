using KvmTime.Linux.KernelLog;
using KvmTime.Windows;

namespace KvmTime.Fuzz;

/// <summary>The Windows guest parsers: w32tm text and the JSON the PowerShell snippets print.</summary>
public static class WindowsTargets
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new("w32tm-status", ["windows/w32tm-*"], s => W32TimeSyncStatus.ToStatus(W32TimeStatusParser.Parse(s, "fuzz"), "fuzz")),
        new("w32tm-configuration", ["windows/w32tm-configuration-*", "windows/w32tm-service-not-started-*", FuzzTarget.TextSeed + "Type: NTP (Lokal)\n" + W32TimePolicyValues.Marker + "\nParameters\\Type\n"], ReadConfiguration),
        new("w32tm-peer-plan", ["windows/w32tm-configuration-*"], s => W32TimeConfigPlanner.Plan(W32TimePeerSettings.From(W32TimeConfigurationParser.Parse(s, "fuzz")), new KvmTime.Linux.TimeSyncConfig.TimeSyncConfigRequest { Servers = ["ntp1.example.net"] }, "fuzz").Describe()),
        new("w32tm-resync", ["windows/w32tm-status-en-US.documented_format.txt"], s => W32TimeResync.Parse(s)),
        new("windows-clock", ["windows/clock-*.json"], WindowsClock),
        new("windows-events", ["windows/events-*.json"], s => WindowsClocksourceEvents.Convert(WindowsTimeEvents.Parse(s, "fuzz"), "fuzz", new ClocksourceEventQuery())),
        new("windows-bcd-result", ["windows/clock-*.json"], BcdResult),
        // Hand-written in the shape WindowsHealthScript prints: w32tm's status, the clock JSON as a string, RealTimeIsUniversal.
        new("windows-health", [FuzzTarget.TextSeed + "{\"Status\":\"Leap Indicator: 0(no warning)\\nStratum: 4 (secondary reference - syncd by (S)NTP)\\nPhase Offset: 2.5000000s\\nSource: time.windows.com,0x9\",\"Clock\":null,\"ClockError\":\"x\",\"RealTimeIsUniversal\":1}"],
            s => KvmTime.Health.WindowsHealthRules.Evaluate(KvmTime.Health.WindowsHealthScript.Parse(s, "fuzz"), "fuzz", new KvmTime.Health.FixCommand("-ComputerName fuzz"), DateTime.UnixEpoch)),
    ];

    private static void ReadConfiguration(string input)
    {
        var (text, policy) = W32TimePolicyValues.Split(input);
        _ = W32TimeConfigurationAdvice.Advise(W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, "fuzz"), "fuzz", policy)).ToList();
    }

    private static void WindowsClock(string input)
    {
        var facts = WindowsClockParser.Parse(input, "fuzz");
        WindowsClockParser.Clocksource(facts, "fuzz");
        WindowsTscReader.Report(facts, "fuzz");
    }

    private static void BcdResult(string input)
    {
        var current = new KvmTime.Model.WindowsClockInfo { BcdRead = true, UsePlatformClock = true, QpcFrequency = 10_000_000, QpcSource = "tsc", HyperVEnlightenments = [], OsVersion = "10.0" };
        WindowsBcdPlanner.ParseResult(input, WindowsBcdPlanner.Plan(current, "Tsc", "fuzz"));
    }
}
