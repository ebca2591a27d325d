namespace KvmTime.Linux.Boot;

/// <summary>How one part of a shell word is quoted.</summary>
internal enum QuoteKind
{
    None,
    Single,
    Double,
}

/// <summary>One quoted or unquoted part of a shell word, with its raw span (quotes included).</summary>
internal sealed record ShellSegment(QuoteKind Kind, int Start, int End);

/// <summary>One plain assignment of a kernel command-line variable in a sourced shell file.</summary>
internal sealed class ShellAssignment
{
    public required string Name { get; init; }

    public required int File { get; init; }

    public required int ValueStart { get; init; }

    public required int ValueEnd { get; init; }

    public required IReadOnlyList<ShellSegment> Segments { get; init; }

    public required IReadOnlyList<ArgumentWord> Words { get; init; }

    /// <summary>True when the value contains a backslash escape outside quotes.</summary>
    public required bool HasUnquotedEscape { get; init; }
}
