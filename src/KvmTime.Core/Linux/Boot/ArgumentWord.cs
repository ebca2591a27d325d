namespace KvmTime.Linux.Boot;

/// <summary>
/// One kernel argument as it stands in a file: its raw span [Start, End) in file <see cref="File"/>,
/// and its text as the kernel will see it (shell and kernel quotes removed).
/// </summary>
/// <param name="Editable">False when the raw span crosses shell quotes, so it cannot be cut out without breaking them.</param>
/// <param name="Opaque">A reference to another command-line variable ($GRUB_CMDLINE_LINUX): never matched, never touched.</param>
internal sealed record ArgumentWord(int File, int Start, int End, string Text, bool Editable, bool Opaque)
{
    public KernelArgument ToArgument()
    {
        var equals = Text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new KernelArgument(Text, null) : new KernelArgument(Text[..equals], Text[(equals + 1)..]);
    }
}

/// <summary>A replacement of the raw span [Start, End) of one file; Start == End inserts.</summary>
internal sealed record TextEdit(int File, int Start, int End, string Replacement);

/// <summary>
/// Where the arguments of one setting live (a GRUB variable's value, an options line, a cmdline file)
/// and how a new argument is added to it.
/// </summary>
internal sealed class ArgumentRegion
{
    public required int File { get; init; }

    /// <summary>The raw span that separators may be taken from when a word is removed.</summary>
    public required int Start { get; init; }

    public required int End { get; init; }

    public required IReadOnlyList<ArgumentWord> Words { get; init; }

    /// <summary>Where the text before an insertion point starts (after an opening quote); empty from here means no separator.</summary>
    public required int ContentStart { get; init; }

    /// <summary>The raw position new arguments go to.</summary>
    public required int InsertAt { get; init; }

    /// <summary>Builds the edits that add <c>chunk</c>; the flag says whether the region is empty after the other edits.</summary>
    public Func<string, bool, IEnumerable<TextEdit>>? Insert { get; init; }

    public IEnumerable<TextEdit> InsertChunk(string chunk, bool empty) =>
        Insert is null
            ? [new TextEdit(File, InsertAt, InsertAt, (empty ? string.Empty : " ") + chunk)]
            : Insert(chunk, empty);
}
