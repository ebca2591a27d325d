using System.Globalization;
using KvmTime.Changes;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>Decides, from gathered facts alone, exactly what a kernel-argument edit changes on one machine.</summary>
internal static class BootArgumentPlanner
{
    public static BootArgumentPlan Plan(BootFacts facts, BootLoaderChoice loader, KernelArgumentEdit edit, DateTime utcNow, string computerName)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(edit);
        var stamp = ".kvmtime-" + utcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        return loader.Kind switch
        {
            BootLoaderKind.SystemdBoot => SystemdBoot(facts, loader, edit, stamp),
            BootLoaderKind.Grubby => Grubby(facts, loader, edit, stamp, computerName),
            _ => Grub(facts, loader, edit, stamp, computerName),
        };
    }

    private static BootArgumentPlan Grub(BootFacts facts, BootLoaderChoice loader, KernelArgumentEdit edit, string stamp, string computerName)
    {
        if (facts.DefaultGrub.Content is null)
        {
            throw new KvmTimeException(ErrorIds.BootConfigMissing, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.BootConfigMissing, computerName, GrubDefaultEditor.DefaultPath))
            { ComputerName = computerName };
        }

        var outcome = GrubDefaultEditor.Edit(facts.GrubDefaultFiles, edit);
        var after = facts.GrubDefaultFiles.Select(f => new BootFile(f.Path, outcome.Rewrites.FirstOrDefault(r => r.Path == f.Path)?.NewContent ?? f.Content)).ToList();
        // Regenerate also when grub.cfg lags behind /etc/default/grub (edited by hand and never regenerated).
        var generated = NextBootReader.Read(facts, loader).Arguments;
        var stale = !PendingArguments.SameTiming(generated, GrubDefaultEditor.EffectiveArguments(after));
        return new BootArgumentPlan
        {
            Loader = loader,
            Files = ToPlannedShell(outcome.Rewrites, stamp),
            Commands = outcome.Rewrites.Count > 0 || stale ? [loader.RegenerateCommand!] : [],
            Added = outcome.Added,
            Removed = outcome.Removed,
        };
    }

    private static BootArgumentPlan SystemdBoot(BootFacts facts, BootLoaderChoice loader, KernelArgumentEdit edit, string stamp)
    {
        // kernel-install falls back to /usr/lib/kernel/cmdline, then /proc/cmdline; seed the new file the same way.
        var cmdline = facts.KernelCmdline.Content is not null
            ? facts.KernelCmdline
            : new BootFile(KernelCmdlineEditor.CmdlinePath, facts.UsrLibKernelCmdline ?? SeedFromProc(facts.ProcCmdline));
        var outcomes = new List<FileEditOutcome> { KernelCmdlineEditor.EditCmdlineFile(cmdline, edit) };
        outcomes.AddRange(facts.LoaderEntries.Select(e => KernelCmdlineEditor.EditBlsEntry(e, edit)));
        var merged = KernelCmdlineEditor.Merge(outcomes);
        var rewrites = merged.Rewrites.ToList();
        if (facts.KernelCmdline.Content is null)
        {
            var created = rewrites.FirstOrDefault(r => r.Path == KernelCmdlineEditor.CmdlinePath)
                ?? new FileRewrite(KernelCmdlineEditor.CmdlinePath, null, cmdline.Content!);
            rewrites.RemoveAll(r => r.Path == KernelCmdlineEditor.CmdlinePath);
            rewrites.Insert(0, created with { OldContent = null });
        }

        return new BootArgumentPlan { Loader = loader, Files = ToPlanned(rewrites, stamp), Commands = [], Added = merged.Added, Removed = merged.Removed };
    }

    private static BootArgumentPlan Grubby(BootFacts facts, BootLoaderChoice loader, KernelArgumentEdit edit, string stamp, string computerName)
    {
        var files = facts.DefaultGrub.Content is null ? FileEditOutcome.None : GrubDefaultEditor.Edit(facts.GrubDefaultFiles, edit);
        var entries = GrubbyInfo.Parse(facts.GrubbyInfo ?? string.Empty);
        RefuseRepeatedValues(entries, edit, computerName);
        var perEntry = entries.Select(e => KernelCmdlineEditor.EditGrubbyArguments(new BootFile(e.Kernel, e.Arguments), edit)).ToList();
        var expected = entries.Select((e, i) => e with { Arguments = perEntry[i].Rewrites.Count > 0 ? perEntry[i].Rewrites[0].NewContent : e.Arguments }).ToList();
        var merged = KernelCmdlineEditor.Merge([files, .. perEntry]);
        var commands = new List<string>();
        if (perEntry.Any(o => o.Rewrites.Count > 0))
        {
            var setNames = edit.Set.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
            var removals = perEntry.SelectMany(o => o.Removed)
                .Where(w => !setNames.Contains(w.Split('=', 2)[0]) || KernelArgumentEdit.IsRepeatable(w.Split('=', 2)[0]))
                .Where(w => !edit.Set.Any(a => a.ToString() == w))
                .Distinct(StringComparer.Ordinal).ToList();
            var command = "grubby --update-kernel=ALL";
            if (edit.Set.Count > 0)
            {
                command += " --args=" + ShellQuote.Single(string.Join(' ', edit.Set));
            }

            if (removals.Count > 0)
            {
                command += " --remove-args=" + ShellQuote.Single(string.Join(' ', removals));
            }

            commands.Add(command);
        }

        return new BootArgumentPlan
        {
            Loader = loader,
            Files = ToPlannedShell(files.Rewrites, stamp),
            Commands = commands,
            Added = merged.Added,
            Removed = merged.Removed,
            ExpectedGrubbyEntries = expected,
        };
    }

    // grubby replaces an argument by name, so it cannot keep tsc=nowatchdog next to a new tsc=reliable.
    private static void RefuseRepeatedValues(IReadOnlyList<GrubbyEntry> entries, KernelArgumentEdit edit, string computerName)
    {
        foreach (var wanted in edit.Set.Where(a => KernelArgumentEdit.IsRepeatable(a.Name)))
        {
            var other = entries.SelectMany(e => KernelCommandLine.Parse(e.Arguments))
                .FirstOrDefault(a => a.Name == wanted.Name && a.Value != wanted.Value && !edit.Remove.Any(r => r == a));
            if (other is not null)
            {
                throw new KvmTimeException(ErrorIds.GrubbyCannotRepeatArgument, FailureKind.InvalidOperation,
                    string.Format(CultureInfo.InvariantCulture, Messages.GrubbyCannotRepeatArgument, computerName, wanted.Name, wanted, other))
                { ComputerName = computerName };
            }
        }
    }

    private static string SeedFromProc(string procCmdline) =>
        string.Join(' ', KernelCommandLine.Parse(procCmdline).Where(a => a.Name is not ("BOOT_IMAGE" or "initrd"))) + "\n";

    private static List<PlannedFile> ToPlanned(IEnumerable<FileRewrite> rewrites, string stamp) =>
        rewrites.Select(r => new PlannedFile(r.Path, r.OldContent, r.NewContent, r.OldContent is null ? null : r.Path + stamp)).ToList();

    // /etc/default/grub and its drop-ins are sourced by grub-mkconfig: the target's sh must read them as planned.
    private static List<PlannedFile> ToPlannedShell(IEnumerable<FileRewrite> rewrites, string stamp) =>
        ToPlanned(rewrites, stamp).Select(f => f with { ShellCheck = new ShellCheck(GrubShellValues.Evaluate(f.NewContent, f.Path)) }).ToList();
}
