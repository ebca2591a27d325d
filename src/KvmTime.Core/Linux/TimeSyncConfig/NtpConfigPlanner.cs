using System.Globalization;
using KvmTime.Changes;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// Set-GuestTimeSync for ntpd and ntpsec guests: only the VM guidance of the distributions' and
/// VMware's guides, 'tinker panic 0' at the top of ntp.conf, so that ntpd steps a clock that is far
/// off after a pause instead of exiting. ntpd cannot read a PHC; sources are left to chrony.
/// </summary>
internal static class NtpConfigPlanner
{
    public const string TinkerPanic = "tinker panic 0";
    private const string Comment = "# KvmTime Set-GuestTimeSync: a VM's clock can be far off after a pause; step it instead of exiting.";

    public static TimeSyncConfigPlan Plan(TimeSyncConfigFacts facts, TimeSyncConfigRequest request, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        var name = facts.ComputerName;
        if (request.PtpKvm || request.SetsSources || facts.NtpConf?.Content is null)
        {
            throw new KvmTimeException(request.PtpKvm ? ErrorIds.NtpdCannotUsePhc : ErrorIds.NtpdNotSupported, FailureKind.NotImplemented,
                string.Format(CultureInfo.InvariantCulture, Messages.NtpdCannotConfigure, name, facts.NtpConf?.Content is null ? Messages.NtpConfMissingClause : string.Empty, TinkerPanic))
            { ComputerName = name };
        }

        var conf = facts.NtpConf;
        var text = conf.Content!;
        var present = text.Split('\n').Any(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is ["tinker", .. var rest] && rest.Contains("panic") && rest.SkipWhile(w => w != "panic").Skip(1).FirstOrDefault() == "0");
        var files = new List<PlannedFile>();
        var commands = new List<string>();
        if (!present)
        {
            files.Add(new PlannedFile(conf.Path, text, Comment + "\n" + TinkerPanic + "\n" + text, conf.Path + BackupSuffix.At(utcNow)));
            commands.Add(ChronyService.Restart(facts.NtpServiceManager, facts.NtpService ?? "ntpd", "ntpd", name));
        }

        var changes = new ChangePlan { Files = files, Commands = commands };
        return new TimeSyncConfigPlan
        {
            ComputerName = name,
            Daemon = "ntpd",
            Request = request,
            Changes = changes,
            ManagedLines = [TinkerPanic],
            ManagedFiles = [conf.Path],
            StatusCommand = "ntpq -pn",
            // ntpd selects a system peer only after several polls (minutes); a peer that answered (reach not 0) shows the restarted ntpd works.
            SelectedRegex = "^[ *+#ox.-]?[0-9A-Fa-f.:]+ +[^ ]+ +[0-9]+ +[a-z] +[^ ]+ +[0-9]+[a-z]? +[0-7]*[1-7][0-7]* ",
            Rollback = new ChangePlan
            {
                Files = files.Select(f => new PlannedFile(f.Path, f.NewContent, f.OldContent!, f.Path + BackupSuffix.At(utcNow.AddMilliseconds(1)))).ToList(),
                Commands = commands,
            },
        };
    }
}
