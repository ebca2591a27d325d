using System.Globalization;
using KvmTime.Changes;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>Checks a persistent change against what the boot loader reports afterwards, and describes it.</summary>
internal static class BootChangeReport
{
    /// <summary>grubby edits entries its own way; make sure every entry ended up exactly as planned.</summary>
    public static void VerifyGrubby(BootArgumentPlan plan, BootFacts after, string computerName)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(after);
        if (plan.Commands.Count == 0 || plan.Loader.Kind != BootLoaderKind.Grubby)
        {
            return;
        }

        var actual = GrubbyInfo.Parse(after.GrubbyInfo ?? string.Empty);
        foreach (var expected in plan.ExpectedGrubbyEntries)
        {
            var entry = actual.FirstOrDefault(e => e.Kernel == expected.Kernel);
            if (entry is null || !Words(entry.Arguments).SequenceEqual(Words(expected.Arguments)))
            {
                throw new KvmTimeException(ErrorIds.GrubbyResultMismatch, FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, Messages.GrubbyResultMismatch, computerName, expected.Kernel, entry?.Arguments, expected.Arguments))
                { ComputerName = computerName };
            }
        }
    }

    public static PersistentArgumentChange Describe(BootArgumentPlan plan, IReadOnlyList<string> nextBoot)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new PersistentArgumentChange
        {
            BootLoader = plan.Loader.Kind.ToString(),
            ArgumentsAdded = plan.Added,
            ArgumentsRemoved = plan.Removed,
            ChangedFiles = plan.Files.Select(f => new ChangedFile { Path = f.Path, BackupPath = f.BackupPath, Diff = UnifiedDiff.Create(f.Path, f.OldContent, f.NewContent) }).ToList(),
            Commands = plan.Commands,
            NextBootArguments = PendingArguments.Timing(nextBoot),
        };
    }

    /// <summary>True when the running kernel's timing arguments differ from what the next boot gets.</summary>
    public static bool RebootRequired(BootFacts facts, BootLoaderChoice loader)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return !PendingArguments.SameTiming([facts.ProcCmdline], NextBootReader.Read(facts, loader).Arguments);
    }

    private static IEnumerable<string> Words(string arguments) =>
        PlainArgumentScanner.Scan(arguments, 0, 0, arguments.Length).Select(w => w.Text);
}
