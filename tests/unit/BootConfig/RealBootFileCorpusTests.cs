using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// Real boot files copied from public repositories and bug trackers (Samples/boot/real): each set is
/// edited and verified, or refused with the error its table row names.
/// </summary>
public class RealBootFileCorpusTests
{
    private const string Folder = "boot/real";
    private static readonly string[] Managed = ["clocksource=kvm-clock", "tsc=reliable"];

    public static TheoryData<string, string, string> Rows()
    {
        var rows = new TheoryData<string, string, string>();
        foreach (var cells in TableLines().Select(l => l.Split('\t')))
        {
            rows.Add(cells[0], cells[1], cells[2]);
        }

        return rows;
    }

    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Samples", Folder)).Select(Path.GetFileName).Where(f => !f!.EndsWith(".tsv", StringComparison.Ordinal)).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_real_file_names_its_source_and_has_a_row(string file)
    {
        var header = SampleFiles.Read($"{Folder}/{file}").Split('\n').TakeWhile(l => l.StartsWith("#|", StringComparison.Ordinal)).ToList();

        Assert.Contains(header, l => l.StartsWith("#| Real file, copied verbatim", StringComparison.Ordinal));
        Assert.Contains(header, l => l.StartsWith("#| Source: https://", StringComparison.Ordinal));
        Assert.Contains(TableLines(), l => l.Split('\t')[0].Split(',').Contains(file));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_real_file_is_edited_and_verified_or_refused(string files, string kind, string outcome)
    {
        var names = files.Split(',');
        var edit = Set(Managed);
        if (outcome.StartsWith("refused:", StringComparison.Ordinal))
        {
            var e = Assert.Throws<KvmTimeException>(() => Edit(kind, names, edit));
            Assert.Equal(outcome["refused:".Length..], e.ErrorId);
            return;
        }

        Assert.Equal("edited", outcome);
        var units = Edit(kind, names, edit);
        Assert.NotEmpty(units);
        foreach (var (before, after, again) in units)
        {
            Assert.NotEmpty(before);
            Assert.Equal(before.Where(a => !IsManaged(a)), after.Where(a => !IsManaged(a)));
            foreach (var argument in Managed)
            {
                Assert.Single(after, argument);
            }

            Assert.Equal(0, again);
        }
    }

    /// <summary>Per edited unit (a file set, or one grubby entry): the arguments before and after, and how many rewrites a second run plans.</summary>
    private static List<(List<string> Before, List<string> After, int Again)> Edit(string kind, string[] names, KernelArgumentEdit edit) => kind switch
    {
        "grub" => [EditGrubSet(names, edit)],
        "cmdline" => [EditText(SampleFiles.ReadVerbatim($"{Folder}/{names[0]}"), KernelCmdlineEditor.CmdlinePath, KernelCmdlineEditor.EditCmdlineFile, Words, edit)],
        "bls" => [EditText(SampleFiles.ReadVerbatim($"{Folder}/{names[0]}"), "/boot/loader/entries/" + names[0], KernelCmdlineEditor.EditBlsEntry, t => [.. KernelCmdlineEditor.BlsOptions(t)], edit)],
        "grubby" => [.. GrubbyInfo.Parse(SampleFiles.ReadVerbatim($"{Folder}/{names[0]}"))
            .Select(e => EditText(e.Arguments, e.Kernel, KernelCmdlineEditor.EditGrubbyArguments, Words, edit))],
        _ => throw new InvalidOperationException($"The table names an unknown kind '{kind}'."),
    };

    private static (List<string>, List<string>, int) EditGrubSet(string[] names, KernelArgumentEdit edit)
    {
        var files = names.Select(n => new BootFile(n.EndsWith(".cfg", StringComparison.Ordinal) ? "/etc/default/grub.d/" + n : GrubDefaultEditor.DefaultPath, SampleFiles.ReadVerbatim($"{Folder}/{n}"))).ToList();
        var rewrites = GrubDefaultEditor.Edit(files, edit).Rewrites;
        Assert.NotEmpty(rewrites);
        var edited = files.Select(f => rewrites.FirstOrDefault(r => r.Path == f.Path) is { } r ? f with { Content = r.NewContent } : f).ToList();
        return ([.. GrubDefaultEditor.EffectiveArguments(files)], [.. GrubDefaultEditor.EffectiveArguments(edited)], GrubDefaultEditor.Edit(edited, edit).Rewrites.Count);
    }

    private static (List<string>, List<string>, int) EditText(string text, string path, Func<BootFile, KernelArgumentEdit, FileEditOutcome> editor, Func<string, List<string>> arguments, KernelArgumentEdit edit)
    {
        var rewrite = Assert.Single(editor(new BootFile(path, text), edit).Rewrites);
        return (arguments(text), arguments(rewrite.NewContent), editor(new BootFile(path, rewrite.NewContent), edit).Rewrites.Count);
    }

    private static List<string> Words(string text) => [.. text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)];

    private static bool IsManaged(string argument) => Managed.Any(m => argument.StartsWith(m.Split('=')[0] + "=", StringComparison.Ordinal) || argument == m.Split('=')[0]);

    private static IEnumerable<string> TableLines() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Samples", Folder, "expected-outcomes.tsv")).Where(l => l.Length > 0 && l[0] != '#');
}
