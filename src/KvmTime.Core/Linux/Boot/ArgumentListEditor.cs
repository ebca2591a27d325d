using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>The raw edits that carry out a <see cref="KernelArgumentEdit"/>, and what they add and remove.</summary>
internal sealed record ArgumentEditResult(IReadOnlyList<TextEdit> Edits, IReadOnlyList<string> Added, IReadOnlyList<string> Removed);

/// <summary>
/// Edits kernel arguments where they stand, touching nothing else: an argument that is set is replaced
/// in place (or added to the insertion region), every other occurrence of it is cut out with one
/// adjacent separator, and all other bytes stay as they were. Running the same edit again yields no edits.
/// </summary>
internal static class ArgumentListEditor
{
    /// <param name="regions">Every place the arguments live, in the order the boot loader reads them.</param>
    /// <param name="insertRegion">The region new arguments go to, or null when there is none yet.</param>
    /// <param name="appendNew">Builds the edits that create a region holding the new arguments, when there is none.</param>
    /// <param name="texts">The raw file texts, by file index, to find separators in.</param>
    /// <param name="paths">The file paths, by file index, for error messages.</param>
    public static ArgumentEditResult Apply(
        IReadOnlyList<ArgumentRegion> regions,
        ArgumentRegion? insertRegion,
        Func<string, IEnumerable<TextEdit>> appendNew,
        IReadOnlyList<string> texts,
        IReadOnlyList<string> paths,
        KernelArgumentEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var state = new EditState(texts, paths);
        var toInsert = new List<string>();
        foreach (var wanted in edit.Set)
        {
            var kept = false;
            foreach (var (region, word) in Occurrences(regions, wanted, byValue: true))
            {
                if (!kept && region == insertRegion)
                {
                    kept = true;
                    if (word.Text != wanted.ToString())
                    {
                        state.Replace(region, word, wanted.ToString());
                    }
                }
                else
                {
                    state.Delete(region, word);
                }
            }

            if (!kept)
            {
                toInsert.Add(wanted.ToString());
                state.Added.Add(wanted.ToString());
            }
        }

        foreach (var unwanted in edit.Remove)
        {
            foreach (var (region, word) in Occurrences(regions, unwanted, byValue: unwanted.Value is not null))
            {
                state.Delete(region, word);
            }
        }

        if (toInsert.Count > 0)
        {
            var chunk = string.Join(' ', toInsert);
            state.Edits.AddRange(insertRegion is null ? appendNew(chunk) : insertRegion.InsertChunk(chunk, state.IsEmptyBefore(insertRegion)));
        }

        return new ArgumentEditResult(state.Edits, state.Added, state.Removed);
    }

    /// <summary>Applies raw edits to one file's text.</summary>
    public static string ApplyEdits(string text, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = text;
        foreach (var e in edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.End))
        {
            result = string.Concat(result.AsSpan(0, e.Start), e.Replacement, result.AsSpan(e.End));
        }

        return result;
    }

    private static IEnumerable<(ArgumentRegion Region, ArgumentWord Word)> Occurrences(IReadOnlyList<ArgumentRegion> regions, KernelArgument wanted, bool byValue) =>
        from region in regions
        from word in region.Words
        where !word.Opaque && KernelArgumentEdit.Matches(wanted, word.ToArgument(), byValue)
        select (region, word);

    private sealed class EditState(IReadOnlyList<string> texts, IReadOnlyList<string> paths)
    {
        private readonly HashSet<(int File, int Position)> taken = [];

        public List<TextEdit> Edits { get; } = [];

        public List<string> Added { get; } = [];

        public List<string> Removed { get; } = [];

        public void Replace(ArgumentRegion region, ArgumentWord word, string text)
        {
            RequireEditable(word);
            if (!Claim(word))
            {
                return;
            }

            Edits.Add(new TextEdit(region.File, word.Start, word.End, text));
            Removed.Add(word.Text);
            Added.Add(text);
        }

        // Cuts the word and one whitespace character next to it: the one before when there is one,
        // so that "a b X" loses " X" and adding then removing X gives back the bytes it started with.
        public void Delete(ArgumentRegion region, ArgumentWord word)
        {
            RequireEditable(word);
            if (!Claim(word))
            {
                return;
            }

            var text = texts[region.File];
            int start = word.Start, end = word.End;
            // The newline of a backslash continuation is not a separator: cutting it would leave the backslash escaping what follows.
            var continuation = start - 2 >= 0 && text[start - 1] == '\n' && text[start - 2] == '\\';
            if (start - 1 >= region.Start && !continuation && PlainArgumentScanner.IsSpace(text[start - 1]) && taken.Add((region.File, start - 1)))
            {
                start--;
            }
            else if (end < region.End && PlainArgumentScanner.IsSpace(text[end]) && taken.Add((region.File, end)))
            {
                end++;
            }

            Edits.Add(new TextEdit(region.File, start, end, string.Empty));
            Removed.Add(word.Text);
        }

        /// <summary>True when nothing but deleted text lies between the region's content start and its insertion point.</summary>
        public bool IsEmptyBefore(ArgumentRegion region)
        {
            for (var p = region.ContentStart; p < region.InsertAt; p++)
            {
                if (!Edits.Any(e => e.File == region.File && e.Replacement.Length == 0 && e.Start <= p && p < e.End))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Claim(ArgumentWord word)
        {
            var fresh = true;
            for (var p = word.Start; p < word.End; p++)
            {
                fresh &= taken.Add((word.File, p));
            }

            return fresh;
        }

        private void RequireEditable(ArgumentWord word)
        {
            if (!word.Editable)
            {
                throw new KvmTimeException(ErrorIds.BootConfigUnsupportedSyntax, FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, Messages.BootConfigArgumentSplitAcrossQuotes, paths[word.File], word.Text));
            }
        }
    }
}
