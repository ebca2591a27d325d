using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Edits GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT across /etc/default/grub and the grub.d
/// drop-ins sourced after it. Timing arguments go into the GRUB_CMDLINE_LINUX that takes effect last
/// (it reaches every entry, recovery included); every other occurrence of them, in either variable and
/// in any file, is removed so that nothing overrides them.
/// </summary>
internal static class GrubDefaultEditor
{
    public const string DefaultPath = "/etc/default/grub";

    /// <param name="files">/etc/default/grub first, then its drop-ins in the order grub-mkconfig sources them.</param>
    public static FileEditOutcome Edit(IReadOnlyList<BootFile> files, KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(edit);
        var texts = files.Select(f => BootText.Require(f)).ToList();
        var assignments = files.SelectMany((f, i) => GrubDefaultParser.Parse(texts[i], i, f.Path)).ToList();
        var regions = assignments.Select(a => (Assignment: a, Region: ToRegion(a, files[a.File].Path))).ToList();
        var target = regions.LastOrDefault(r => r.Assignment.Name == GrubDefaultParser.Linux).Region;
        var result = ArgumentListEditor.Apply(
            regions.Select(r => r.Region).ToList(),
            target,
            chunk => [AppendAssignment(texts[0], chunk)],
            texts,
            files.Select(f => f.Path).ToList(),
            edit);
        return FileEditOutcome.From(files, texts, WithoutEmptiedAppendedLine(result, assignments, texts[0]));
    }

    /// <summary>
    /// When a removal empties the GRUB_CMDLINE_LINUX line this editor appended to a file that had
    /// none (its marker comment above it, the file's last line, the only assignment anywhere), both
    /// lines go, so the file returns to exactly what it was. A variable the file had before stays.
    /// </summary>
    private static ArgumentEditResult WithoutEmptiedAppendedLine(ArgumentEditResult result, List<ShellAssignment> assignments, string text)
    {
        var linux = assignments.Where(a => a.Name == GrubDefaultParser.Linux).ToList();
        if (result.Removed.Count == 0 || linux is not [{ File: 0 } only])
        {
            return result;
        }

        // The marker line, then GRUB_CMDLINE_LINUX="..." as the file's last line.
        var markerAt = text.LastIndexOf(Marker, StringComparison.Ordinal);
        var tail = text.EndsWith('\n') ? "\n" : string.Empty;
        var emptied = ArgumentListEditor.ApplyEdits(text, result.Edits.Where(e => e.File == 0));
        if (markerAt < 0 || only.ValueStart != markerAt + Marker.Length + GrubDefaultParser.Linux.Length + 1 ||
            only.ValueEnd != text.Length - tail.Length ||
            !emptied.EndsWith(Marker + GrubDefaultParser.Linux + "=\"\"" + tail, StringComparison.Ordinal))
        {
            return result;
        }

        // Without a final newline, the appended lines brought the newline before them.
        var start = tail.Length == 0 && markerAt > 0 ? markerAt - 1 : markerAt;
        var inLine = result.Edits.Where(e => e.File == 0 && e.Start >= only.ValueStart && e.End <= only.ValueEnd);
        return result with { Edits = [.. result.Edits.Except(inLine), new TextEdit(0, start, text.Length, string.Empty)] };
    }

    /// <summary>The arguments the next grub-mkconfig run puts on a normal entry: GRUB_CMDLINE_LINUX, then _DEFAULT.</summary>
    public static IReadOnlyList<string> EffectiveArguments(IReadOnlyList<BootFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [GrubDefaultParser.Linux] = [],
            [GrubDefaultParser.LinuxDefault] = [],
        };
        for (var i = 0; i < files.Count; i++)
        {
            foreach (var assignment in GrubDefaultParser.Parse(BootText.Require(files[i]), i, files[i].Path))
            {
                var expanded = new List<string>();
                foreach (var word in assignment.Words)
                {
                    expanded.AddRange(word.Opaque ? values[word.Text] : [word.Text]);
                }

                values[assignment.Name] = expanded;
            }
        }

        return [.. values[GrubDefaultParser.Linux], .. values[GrubDefaultParser.LinuxDefault]];
    }

    private static ArgumentRegion ToRegion(ShellAssignment a, string path)
    {
        var last = a.Segments.Count > 0 ? a.Segments[^1] : null;
        if (last is { Kind: QuoteKind.Single or QuoteKind.Double })
        {
            return new ArgumentRegion
            {
                File = a.File, Start = a.ValueStart, End = a.ValueEnd, Words = a.Words,
                ContentStart = last.Start + 1, InsertAt = last.End - 1,
            };
        }

        return new ArgumentRegion
        {
            File = a.File, Start = a.ValueStart, End = a.ValueEnd, Words = a.Words,
            ContentStart = a.ValueStart, InsertAt = a.ValueEnd,
            Insert = (chunk, _) => QuoteUnquoted(a, path, chunk),
        };
    }

    // An unquoted value (GRUB_CMDLINE_LINUX=quiet, or empty) gets double quotes, because the new
    // value holds spaces; that is only safe when the old text means the same inside them.
    private static IEnumerable<TextEdit> QuoteUnquoted(ShellAssignment a, string path, string chunk)
    {
        if (a.Segments.Count > 1 || a.HasUnquotedEscape)
        {
            throw new Targets.KvmTimeException(ErrorIds.BootConfigUnsupportedSyntax, Targets.FailureKind.InvalidData,
                $"{path}: {a.Name} mixes quoted and unquoted text or backslash escapes, so KvmTime cannot add to it without changing its meaning. Put the whole value in double quotes and run the command again; nothing was changed.");
        }

        if (a.ValueEnd == a.ValueStart)
        {
            return [new TextEdit(a.File, a.ValueStart, a.ValueStart, "\"" + chunk + "\"")];
        }

        return
        [
            new TextEdit(a.File, a.ValueStart, a.ValueStart, "\""),
            new TextEdit(a.File, a.ValueEnd, a.ValueEnd, " " + chunk + "\""),
        ];
    }

    private const string Marker = "# Added by KvmTime; its -Remove takes these two lines away again.\n";

    // The lines appended to a file without GRUB_CMDLINE_LINUX; a file without a final newline keeps that shape.
    private static TextEdit AppendAssignment(string text, string chunk) =>
        text.Length == 0 || text.EndsWith('\n')
            ? new TextEdit(0, text.Length, text.Length, $"{Marker}{GrubDefaultParser.Linux}=\"{chunk}\"\n")
            : new TextEdit(0, text.Length, text.Length, $"\n{Marker}{GrubDefaultParser.Linux}=\"{chunk}\"");
}
