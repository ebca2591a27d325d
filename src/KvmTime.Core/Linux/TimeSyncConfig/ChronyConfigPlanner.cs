using System.Globalization;
using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// Set-GuestTimeSync for chronyd, without I/O: merges the request into KvmTime's drop-ins (in the
/// directory chrony.conf really includes) or its marked block, disables the lines of chrony.conf that
/// would override them (chrony uses the last makestep it reads), refuses mixed leap smears, and adds
/// the ptp_kvm files and the distribution's restart (or start, enabled at boot, of a stopped chronyd).
/// </summary>
internal static class ChronyConfigPlanner
{
    public const string RolledBack = "# KvmTime Set-GuestTimeSync rolled this file back: chronyd selected no source with it within -Timeout.\n";

    public static TimeSyncConfigPlan Plan(TimeSyncConfigFacts facts, TimeSyncConfigRequest request, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        var computerName = facts.ComputerName;
        var conf = facts.ChronyConf ?? throw new InvalidOperationException("chrony.conf is required");
        var text = conf.Content ?? string.Empty;
        var stamp = BackupSuffix.At(utcNow);
        var dropIns = ChronyDropIns.Find(ChronyDirective.Parse(text));
        var useDropIn = dropIns.SettingsFile is not null;
        var settingsFile = useDropIn ? Find(facts, dropIns.SettingsFile!) : null;
        var sourcesFile = useDropIn && dropIns.SourcesFile is not null ? Find(facts, dropIns.SourcesFile) : null;
        var managed = ChronyManagedLines.From(useDropIn
            ? (settingsFile?.Content ?? string.Empty) + "\n" + (sourcesFile?.Content ?? string.Empty)
            : ChronyConfText.BlockBody(text) ?? string.Empty);
        var where = useDropIn ? dropIns.SettingsFile! : "KvmTime's block";
        var main = MainDirectives(text);
        var others = facts.DropInFiles.Where(f => f.Path != dropIns.SettingsFile && f.Path != dropIns.SourcesFile).ToList();
        var disable = new Dictionary<int, string>();
        var warnings = new List<string>();
        if (request.PollInterval is not null)
        {
            warnings.Add($"{computerName}: -PollInterval sets w32time's poll interval on Windows guests; chronyd adapts its own, so it is ignored here.");
        }

        if (request.Preset == GuestTimeSyncPreset.Vm)
        {
            managed.Set("makestep 1 -1");
            if (main.Any(d => d.Name == "rtcfile"))
            {
                warnings.Add($"{computerName}: chrony.conf uses rtcfile, which chronyd cannot combine with rtcsync, so rtcsync is not added.");
            }
            else
            {
                managed.Set("rtcsync");
            }

            Disable(main.Where(d => d.Name == "makestep"), disable, "makestep is set in " + where);
            WarnOthers(others, "makestep", warnings, computerName);
        }

        PtpKvmPlan? ptp = null;
        if (request.PtpKvm)
        {
            ptp = PtpKvmPlan.Plan(facts, stamp);
            warnings.AddRange(ptp.Warnings);
            managed.Set(ptp.RefclockLine);
            Disable(main.Where(d => d.PhcDevice is not null), disable, "the PHC refclock is set in " + where);
        }

        if (request.SetsSources)
        {
            managed.ReplaceSources(request.Servers.Select(s => $"server {s} iburst").Concat(request.Pools.Select(p => $"pool {p} iburst")));
            Disable(main.Where(d => d.IsNetworkSource), disable, "the sources are set in " + (dropIns.SourcesFile ?? where));
            foreach (var other in others.Where(o => ChronyDirective.Parse(o.Content ?? string.Empty).Any(d => d.IsNetworkSource)))
            {
                warnings.Add($"{computerName}: {other.Path} adds sources too; chronyd uses them beside the ones set here.");
            }
        }

        if (request.SetsSources || request.PtpKvm)
        {
            CheckSmear(request, managed, main, disable, warnings, computerName);
        }

        var files = new List<PlannedFile>();
        var mainNew = ChronyConfText.Disable(text, disable);
        var managedFiles = new List<string>();
        if (useDropIn)
        {
            var sourcesApart = dropIns.SourcesFile is not null;
            AddIfChanged(files, settingsFile, dropIns.SettingsFile!, ChronyConfText.DropIn(managed.Settings.Concat(sourcesApart ? [] : managed.Sources)), stamp);
            managedFiles.Add(dropIns.SettingsFile!);
            if (sourcesApart && (managed.Sources.Count > 0 || sourcesFile?.Content is not null))
            {
                AddIfChanged(files, sourcesFile, dropIns.SourcesFile!, ChronyConfText.DropIn(managed.Sources), stamp);
                managedFiles.Add(dropIns.SourcesFile!);
            }
        }
        else
        {
            mainNew = ChronyConfText.WithBlock(mainNew, [.. managed.Settings, .. managed.Sources]);
            managedFiles.Add(conf.Path);
            warnings.Add($"{computerName}: {conf.Path} includes no drop-in directory (confdir, include, sourcedir), so KvmTime keeps its settings in a marked block at its end.");
        }

        AddIfChanged(files, conf, conf.Path, mainNew, stamp);
        var chronyFilesChange = files.Count > 0;
        var onlySources = chronyFilesChange && files.All(f => f.Path == dropIns.SourcesFile);
        if (ptp is not null)
        {
            files.AddRange(ptp.Files);
        }

        var commands = new List<string>();
        if (ptp is not null && (chronyFilesChange || ptp.Files.Count > 0 || ptp.Commands.Count > 0))
        {
            commands.AddRange(ptp.Commands);
        }

        string? rollbackRestart;
        if (!facts.RunningDaemons.Contains("chronyd"))
        {
            // Installed but stopped: start it (it reads the new files as it starts); a rollback puts the files back and restarts it, never stops it.
            rollbackRestart = files.Count > 0 ? ChronyService.Restart(facts) : null;
            commands.Add(ChronyService.Start(facts));
        }
        else
        {
            if (chronyFilesChange || commands.Count > 0)
            {
                commands.Add(onlySources && commands.Count == 0 ? ChronyService.ReloadSources : ChronyService.Restart(facts));
            }

            rollbackRestart = commands.Count == 0 ? null : commands[^1];
        }

        var changes = new ChangePlan { Files = files, Commands = commands };
        return new TimeSyncConfigPlan
        {
            ComputerName = computerName,
            Daemon = "chronyd",
            Request = request,
            Changes = changes,
            ManagedLines = [.. managed.Settings, .. managed.Sources],
            ManagedFiles = managedFiles,
            PhcDevice = ptp?.Device,
            StatusCommand = "chronyc -n -c sources",
            SelectedRegex = SelectedRegex(request),
            Rollback = RollbackOf(changes, rollbackRestart, utcNow.AddMilliseconds(1)),
            Warnings = warnings,
        };
    }

    // chronyc -n prints addresses: when every new source is one, the selected one must be among them; a name can only be checked as "some source".
    private static string SelectedRegex(TimeSyncConfigRequest request)
    {
        if (request.PtpKvm)
        {
            return "^#,\\*,PHC";
        }

        var names = request.Servers.Concat(request.Pools).ToList();
        return names.Count > 0 && names.All(n => System.Net.IPAddress.TryParse(n, out _))
            ? "^.,\\*,(" + string.Join('|', names.Select(n => n.Replace(".", "\\.", StringComparison.Ordinal))) + "),"
            : "^.,\\*,";
    }

    private static ChangePlan RollbackOf(ChangePlan change, string? restart, DateTime utcNow)
    {
        var stamp = BackupSuffix.At(utcNow);
        return new ChangePlan
        {
            // A new file cannot be deleted by the shared apply script; it is left holding only a comment, which chronyd, udev and modules-load ignore.
            Files = change.Files.Select(f => new PlannedFile(f.Path, f.NewContent, f.OldContent ?? RolledBack, f.Path + stamp)).ToList(),
            Commands = restart is null ? [] : [restart],
        };
    }

    private static void CheckSmear(TimeSyncConfigRequest request, ChronyManagedLines managed, IReadOnlyList<ChronyDirective> main, Dictionary<int, string> disable, List<string> warnings, string computerName)
    {
        var network = managed.SourceNames
            .Concat(main.Where(d => d.IsNetworkSource && d.Args.Count > 0 && !disable.ContainsKey(d.Line)).Select(d => d.Args[0]))
            .ToList();
        var phcs = managed.Settings.Select(l => ChronyDirective.Parse(l).Single().PhcDevice)
            .Concat(main.Where(d => !disable.ContainsKey(d.Line)).Select(d => d.PhcDevice))
            .OfType<string>().Select(d => "PHC " + d).ToList();
        if (LeapSmearingServices.MixingProblem(network.Concat(phcs)) is { } problem)
        {
            if (!request.Force)
            {
                throw new KvmTimeException(ErrorIds.SmearedSourcesMixed, FailureKind.InvalidArgument,
                    string.Format(CultureInfo.InvariantCulture, Messages.SmearedSourcesMixed, computerName, problem))
                { ComputerName = computerName };
            }

            warnings.Add($"{computerName}: -Force: {problem}");
        }

        if (phcs.Count == 0 && LeapSmearingServices.AllSmear(network))
        {
            Disable(main.Where(d => d.Name == "leapsectz"), disable, "clients of leap-smearing servers must not use leapsectz (chrony.conf(5))");
        }
    }

    // The directives of chrony.conf outside KvmTime's own block.
    private static List<ChronyDirective> MainDirectives(string text)
    {
        var lines = text.Split('\n');
        var begin = Array.IndexOf(lines, ChronyConfText.BlockBegin);
        var end = begin < 0 ? -1 : Array.IndexOf(lines, ChronyConfText.BlockEnd, begin);
        return ChronyDirective.Parse(text).Where(d => end < 0 || d.Line < begin || d.Line > end).ToList();
    }

    private static void Disable(IEnumerable<ChronyDirective> directives, Dictionary<int, string> disable, string reason)
    {
        foreach (var d in directives)
        {
            disable.TryAdd(d.Line, reason);
        }
    }

    private static void WarnOthers(IEnumerable<BootFile> others, string name, List<string> warnings, string computerName)
    {
        foreach (var other in others.Where(o => ChronyDirective.Parse(o.Content ?? string.Empty).Any(d => d.Name == name)))
        {
            warnings.Add($"{computerName}: {other.Path} sets {name} too; chronyd uses the last one it reads, so check that file.");
        }
    }

    private static BootFile? Find(TimeSyncConfigFacts facts, string path) => facts.DropInFiles.FirstOrDefault(f => f.Path == path);

    private static void AddIfChanged(List<PlannedFile> files, BootFile? current, string path, string content, string stamp)
    {
        if (current?.Content != content)
        {
            files.Add(new PlannedFile(path, current?.Content, content, current?.Content is null ? null : path + stamp));
        }
    }
}
