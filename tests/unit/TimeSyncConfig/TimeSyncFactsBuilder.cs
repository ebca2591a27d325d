using KvmTime.Linux.Boot;
using KvmTime.Linux.TimeSyncConfig;

namespace KvmTime.Tests.TimeSyncConfig;

/// <summary>Facts as the reader would make them from one gather, for planner tests (hand-written, named after what they stand for).</summary>
internal static class TimeSyncFactsBuilder
{
    public static readonly DateTime Now = new(2026, 12, 5, 22, 0, 0, DateTimeKind.Utc);

    public static string DebianStock => SampleFiles.ReadVerbatim("timesync/chrony-4.3-debian12-stock.conf");

    public static TimeSyncConfigFacts Chrony(string conf, string path = "/etc/chrony/chrony.conf", IReadOnlyList<BootFile>? dropIns = null, string[]? running = null) => new()
    {
        ComputerName = "vm7",
        RunningDaemons = running ?? ["chronyd"],
        ChronyConf = new BootFile(path, conf),
        DropInFiles = dropIns ?? [],
        ServiceManager = ServiceManager.Systemd,
        ChronyService = "chrony",
        HasUdev = true,
        KvmClockAvailable = true,
        PtpKvmModuleAvailable = true,
    };

    /// <summary>The facts a second read would give after <paramref name="plan"/> was applied.</summary>
    public static TimeSyncConfigFacts After(TimeSyncConfigFacts before, TimeSyncConfigPlan plan)
    {
        var written = plan.Changes.Files.ToDictionary(f => f.Path, f => f.NewContent);
        var conf = before.ChronyConf!;
        var dropIns = before.DropInFiles.Where(f => !written.ContainsKey(f.Path)).ToList();
        dropIns.AddRange(written.Where(w => w.Key.Contains("/conf.d/", StringComparison.Ordinal) || w.Key.Contains("/sources.d/", StringComparison.Ordinal) || w.Key.StartsWith("/etc/chrony.d/", StringComparison.Ordinal))
            .Select(w => new BootFile(w.Key, w.Value)));
        return new TimeSyncConfigFacts
        {
            ComputerName = before.ComputerName,
            RunningDaemons = before.RunningDaemons,
            ChronyConf = new BootFile(conf.Path, written.GetValueOrDefault(conf.Path, conf.Content!)),
            DropInFiles = dropIns,
            ServiceManager = before.ServiceManager,
            ChronyService = before.ChronyService,
            HasUdev = before.HasUdev,
            KvmClockAvailable = before.KvmClockAvailable,
            PtpKvmModuleAvailable = before.PtpKvmModuleAvailable,
            PtpClocks = before.PtpClocks,
            PtpKvmLink = before.PtpKvmLink,
            PtpUdevRules = written.ContainsKey(TimeSyncConfigReader.UdevRulePath) ? [TimeSyncConfigReader.UdevRulePath] : before.PtpUdevRules,
            PtpKvmLoadedAtBootBy = written.ContainsKey(TimeSyncConfigReader.ModulesLoadPath) ? [TimeSyncConfigReader.ModulesLoadPath] : before.PtpKvmLoadedAtBootBy,
            NtpConf = before.NtpConf is null ? null : new BootFile(before.NtpConf.Path, written.GetValueOrDefault(before.NtpConf.Path, before.NtpConf.Content!)),
            NtpService = before.NtpService,
            NtpServiceManager = before.NtpServiceManager,
        };
    }
}
