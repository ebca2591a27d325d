using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Edits kernel arguments kept as plain text: /etc/kernel/cmdline (what kernel-install writes into new
/// entries), the options lines of Boot Loader Specification entries, and grubby's args.
/// </summary>
internal static class KernelCmdlineEditor
{
    public const string CmdlinePath = "/etc/kernel/cmdline";

    /// <summary>/etc/kernel/cmdline: the arguments are the whole file up to its final line break (kernel-install joins its lines).</summary>
    public static FileEditOutcome EditCmdlineFile(BootFile file, KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(file);
        return EditPlain(file, edit, file.Path, allowVariables: false);
    }

    /// <summary>One entry's args as grubby --info prints them; BLS variables such as $tuned_params stay as they are.</summary>
    public static FileEditOutcome EditGrubbyArguments(BootFile entry, KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return EditPlain(entry, edit, $"grubby's args of {entry.Path}", allowVariables: true);
    }

    /// <summary>A BLS entry: the arguments are on its options lines; new ones go on the last.</summary>
    public static FileEditOutcome EditBlsEntry(BootFile file, KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(file);
        var text = BootText.Require(file);
        BlsEntrySyntax.Require(text, file.Path);
        var regions = OptionsLines(text).Select(line => PlainRegion(text, 0, line.Start, line.End)).ToList();
        var dollar = regions.SelectMany(r => r.Words).FirstOrDefault(w => w.Text.StartsWith('$'));
        if (dollar is not null)
        {
            throw new KvmTimeException(ErrorIds.BootConfigVariableReference, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.BootConfigOptionsVariable, file.Path, dollar.Text));
        }

        KernelParameterSyntax.Require(regions.SelectMany(r => r.Words), text, file.Path, allowVariables: false);
        var newline = text.Length == 0 || text.EndsWith('\n') ? string.Empty : "\n";
        return Apply(file, text, regions, regions.LastOrDefault(),
            chunk => [new TextEdit(0, text.Length, text.Length, $"{newline}options {chunk}\n")], edit);
    }

    /// <summary>Edits a plain argument string (one kernel command line) and returns the result.</summary>
    public static string EditArguments(string arguments, KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var outcome = EditCmdlineFile(new BootFile("arguments", arguments), edit);
        return outcome.Rewrites.Count == 0 ? arguments : outcome.Rewrites[0].NewContent;
    }

    /// <summary>The arguments on the options lines of a BLS entry.</summary>
    public static IReadOnlyList<string> BlsOptions(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return OptionsLines(entry).SelectMany(l => PlainArgumentScanner.Scan(entry, 0, l.Start, l.End)).Select(w => w.Text).ToList();
    }

    private static FileEditOutcome EditPlain(BootFile file, KernelArgumentEdit edit, string where, bool allowVariables)
    {
        var text = BootText.Require(file);
        var end = text.TrimEnd('\n', '\r').Length;
        var region = PlainRegion(text, 0, 0, end);
        KernelParameterSyntax.Require(region.Words, text, where, allowVariables);
        return Apply(file, text, [region], region, chunk => [new TextEdit(0, end, end, chunk)], edit);
    }

    /// <summary>Merges per-file outcomes (the same edit on several entries) into one.</summary>
    public static FileEditOutcome Merge(IEnumerable<FileEditOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var list = outcomes.ToList();
        return new FileEditOutcome(
            list.SelectMany(o => o.Rewrites).ToList(),
            list.SelectMany(o => o.Added).Distinct(StringComparer.Ordinal).ToList(),
            list.SelectMany(o => o.Removed).Distinct(StringComparer.Ordinal).ToList());
    }

    private static FileEditOutcome Apply(BootFile file, string text, IReadOnlyList<ArgumentRegion> regions, ArgumentRegion? target, Func<string, IEnumerable<TextEdit>> append, KernelArgumentEdit edit)
    {
        var result = ArgumentListEditor.Apply(regions, target, append, [text], [file.Path], edit);
        return FileEditOutcome.From([file], [text], result);
    }

    private static ArgumentRegion PlainRegion(string text, int file, int start, int end) => new()
    {
        File = file,
        Start = start,
        End = end,
        Words = PlainArgumentScanner.Scan(text, file, start, end),
        ContentStart = start,
        InsertAt = end,
    };

    // "options" at the start of a line, then blanks; the arguments run to the end of that line.
    private static IEnumerable<(int Start, int End)> OptionsLines(string text)
    {
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var contentEnd = lineEnd > lineStart && text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            const string Key = "options";
            if (string.CompareOrdinal(text, lineStart, Key, 0, Key.Length) == 0
                && (lineStart + Key.Length == contentEnd || text[lineStart + Key.Length] is ' ' or '\t'))
            {
                var start = lineStart + Key.Length;
                while (start < contentEnd && text[start] is ' ' or '\t')
                {
                    start++;
                }

                yield return (start, contentEnd);
            }

            lineStart = lineEnd + 1;
        }
    }
}
