using System.Globalization;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Finds the assignments of GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub
/// (and its grub.d drop-ins) the way sh reads them: comments, quotes that span lines and other
/// commands are skipped, and each argument of the value is located by its raw position. A value that
/// builds on anything but these two variables cannot be known here and is refused.
/// </summary>
internal sealed class GrubDefaultParser
{
    public const string Linux = "GRUB_CMDLINE_LINUX";
    public const string LinuxDefault = "GRUB_CMDLINE_LINUX_DEFAULT";

    private static readonly string[] CommandPrefixes = ["then", "else", "elif", "do", "if", "while", "until", "{", "!"];

    private readonly string t;
    private readonly int file;
    private readonly string path;
    private readonly List<ShellAssignment> found = [];

    private GrubDefaultParser(string text, int file, string path)
    {
        t = text;
        this.file = file;
        this.path = path;
    }

    public static IReadOnlyList<ShellAssignment> Parse(string text, int file, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new GrubDefaultParser(text, file, path);
        parser.Run();
        return parser.found;
    }

    public static bool IsCommandLineVariable(string name) => name is Linux or LinuxDefault;

    private void Run()
    {
        var p = 0;
        while (p < t.Length)
        {
            p = SkipBlanks(p);
            if (p >= t.Length)
            {
                break;
            }

            var c = t[p];
            if (c is '\n' or ';' or '&' or '|')
            {
                p++;
                continue;
            }

            if (c == '#')
            {
                p = EndOfLine(p);
                continue;
            }

            if (TryWord(p, CommandPrefixes, out var afterPrefix))
            {
                p = afterPrefix;
                continue;
            }

            if (TryWord(p, ["export"], out var afterExport))
            {
                p = SkipBlanks(afterExport);
            }

            p = CommandAfterPrefix(p);
        }
    }

    // Reads the leading assignments of one command, then skips whatever command follows them.
    private int CommandAfterPrefix(int p)
    {
        var ours = false;
        while (TryAssignment(p, out var name, out var valueStart, out var append))
        {
            if (IsCommandLineVariable(name))
            {
                if (append)
                {
                    throw Unsupported(p, string.Format(CultureInfo.InvariantCulture, Messages.GrubAppendNotPosix, name));
                }

                var assignment = ParseValue(name, valueStart);
                found.Add(assignment);
                ours = true;
                p = assignment.ValueEnd;
            }
            else
            {
                p = SkipWord(valueStart);
            }

            p = SkipBlanks(p);
        }

        if (p >= t.Length || t[p] is '\n' or ';' or '#')
        {
            return p;
        }

        if (ours)
        {
            if (found.Count > 0 && QuoteClosedByNextAssignment(found[^1]) is { } quote)
            {
                throw Unparsable(quote.Start, string.Format(CultureInfo.InvariantCulture, Messages.GrubQuoteClosedByNextAssignment, LineOf(quote.End - 1)));
            }

            throw Unsupported(p, Messages.GrubAssignmentBeforeCommand);
        }

        RefusePrompt(p);
        return SkipCommand(p);
    }

    private ShellAssignment ParseValue(string name, int start)
    {
        var items = new List<ValueItem>();
        var segments = new List<ShellSegment>();
        var unquotedEscape = false;
        var p = start;
        int unquotedStart = -1;
        while (p < t.Length && !EndsWord(t[p]))
        {
            var c = t[p];
            if (c is '\'' or '"')
            {
                CloseUnquoted(segments, ref unquotedStart, p);
                var open = p;
                p = c == '\'' ? ReadSingle(p, items, segments.Count) : ReadDouble(p, items, segments.Count);
                segments.Add(new ShellSegment(c == '\'' ? QuoteKind.Single : QuoteKind.Double, open, p));
                continue;
            }

            if (unquotedStart < 0)
            {
                unquotedStart = p;
            }

            if (c == '\\')
            {
                if (p + 1 >= t.Length)
                {
                    throw Unparsable(p, Messages.GrubTrailingBackslash);
                }

                if (t[p + 1] == '\n')
                {
                    p += 2; // a line continuation: sh drops both characters
                    continue;
                }

                unquotedEscape = true;
                items.Add(ValueItem.Char(t[p + 1], p, p + 2, segments.Count));
                p += 2;
            }
            else if (c == '$')
            {
                p = ReadExpansion(p, items, segments.Count);
            }
            else if (c == '`')
            {
                throw VariableReference(p, Messages.GrubCommandSubstitution);
            }
            else
            {
                items.Add(ValueItem.Char(c, p, p + 1, segments.Count));
                p++;
            }
        }

        CloseUnquoted(segments, ref unquotedStart, p);
        return new ShellAssignment
        {
            Name = name,
            File = file,
            ValueStart = start,
            ValueEnd = p,
            Segments = segments,
            Words = SplitWords(items),
            HasUnquotedEscape = unquotedEscape,
        };
    }

    /// <summary>
    /// A quoted part that spans lines and closes right after "NAME=" at the start of a line: the
    /// quote of the next assignment, so this line lost its closing quote (an editor or a script cut it).
    /// </summary>
    private ShellSegment? QuoteClosedByNextAssignment(ShellAssignment assignment)
    {
        foreach (var segment in assignment.Segments)
        {
            if (segment.Kind == QuoteKind.None || t.IndexOf('\n', segment.Start, segment.End - segment.Start) < 0)
            {
                continue;
            }

            var close = segment.End - 1;
            var lineStart = t.LastIndexOf('\n', close - 1) + 1;
            var head = t.AsSpan(lineStart, close - lineStart);
            if (head.Length > 1 && head[^1] == '=' && (char.IsAsciiLetter(head[0]) || head[0] == '_') &&
                !head[..^1].ContainsAnyExcept(NameCharacters))
            {
                return segment;
            }
        }

        return null;
    }

    private static void CloseUnquoted(List<ShellSegment> segments, ref int unquotedStart, int end)
    {
        if (unquotedStart >= 0)
        {
            segments.Add(new ShellSegment(QuoteKind.None, unquotedStart, end));
            unquotedStart = -1;
        }
    }

    private int ReadSingle(int open, List<ValueItem> items, int segment)
    {
        var close = t.IndexOf('\'', open + 1);
        if (close < 0)
        {
            throw Unparsable(open, Messages.GrubSingleQuoteOpen);
        }

        for (var i = open + 1; i < close; i++)
        {
            items.Add(ValueItem.Char(t[i], i, i + 1, segment));
        }

        return close + 1;
    }

    private int ReadDouble(int open, List<ValueItem> items, int segment)
    {
        var p = open + 1;
        while (true)
        {
            if (p >= t.Length)
            {
                throw Unparsable(open, Messages.GrubDoubleQuoteOpen);
            }

            var c = t[p];
            if (c == '"')
            {
                return p + 1;
            }

            if (c == '\\' && p + 1 < t.Length && t[p + 1] is '$' or '`' or '"' or '\\' or '\n')
            {
                if (t[p + 1] != '\n')
                {
                    items.Add(ValueItem.Char(t[p + 1], p, p + 2, segment)); // a line continuation adds nothing
                }

                p += 2;
            }
            else if (c == '$')
            {
                p = ReadExpansion(p, items, segment);
            }
            else if (c == '`')
            {
                throw VariableReference(p, Messages.GrubCommandSubstitution);
            }
            else
            {
                items.Add(ValueItem.Char(c, p, p + 1, segment));
                p++;
            }
        }
    }

    // $NAME or ${NAME} of the two command-line variables is understood; anything else is refused.
    private int ReadExpansion(int p, List<ValueItem> items, int segment)
    {
        var braced = p + 1 < t.Length && t[p + 1] == '{';
        var nameStart = p + (braced ? 2 : 1);
        var nameEnd = nameStart;
        while (nameEnd < t.Length && (char.IsAsciiLetterOrDigit(t[nameEnd]) || t[nameEnd] == '_'))
        {
            nameEnd++;
        }

        var name = t[nameStart..nameEnd];
        if (name.Length == 0 && !braced && (p + 1 >= t.Length || t[p + 1] is not ('(' or '$' or '@' or '*' or '#' or '?' or '-' or '!')))
        {
            items.Add(ValueItem.Char('$', p, p + 1, segment)); // a lone $ is literal in sh
            return p + 1;
        }

        if (braced && (nameEnd >= t.Length || t[nameEnd] != '}'))
        {
            throw VariableReference(p, Messages.GrubExpansionWithOperator);
        }

        var end = braced ? nameEnd + 1 : nameEnd;
        if (!IsCommandLineVariable(name) || char.IsAsciiDigit(name[0]))
        {
            throw VariableReference(p, name.Length == 0 ? string.Format(CultureInfo.InvariantCulture, Messages.GrubQuotedText, t[p..Math.Min(t.Length, p + 2)]) : string.Format(CultureInfo.InvariantCulture, Messages.GrubVariable, name));
        }

        items.Add(ValueItem.Reference(name, p, end, segment));
        return end;
    }

    private List<ArgumentWord> SplitWords(List<ValueItem> items)
    {
        var words = new List<ArgumentWord>();
        var current = new List<ValueItem>();
        var kernelQuoted = false;
        foreach (var item in items)
        {
            if (item.Name is null && !kernelQuoted && PlainArgumentScanner.IsSpace(item.Value))
            {
                Flush();
                continue;
            }

            if (item.Name is null && item.Value == '"')
            {
                kernelQuoted = !kernelQuoted;
            }

            current.Add(item);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Count == 0)
            {
                return;
            }

            var references = current.Count(i => i.Name is not null);
            if (references > 0 && current.Count > 1)
            {
                throw VariableReference(current[0].Start, string.Format(CultureInfo.InvariantCulture, Messages.GrubVariableGlued, current.First(i => i.Name is not null).Name));
            }

            var text = new StringBuilder(references > 0 ? current[0].Name : string.Empty);
            foreach (var item in current.Where(i => i.Name is null && i.Value != '"'))
            {
                text.Append(item.Value);
            }

            var editable = current.All(i => i.Segment == current[0].Segment);
            words.Add(new ArgumentWord(file, current[0].Start, current[^1].End, text.ToString(), editable, Opaque: references > 0));
            current.Clear();
        }
    }

    private bool TryAssignment(int p, out string name, out int valueStart, out bool append)
    {
        name = string.Empty;
        valueStart = p;
        append = false;
        if (p >= t.Length || !(char.IsAsciiLetter(t[p]) || t[p] == '_'))
        {
            return false;
        }

        var end = p;
        while (end < t.Length && (char.IsAsciiLetterOrDigit(t[end]) || t[end] == '_'))
        {
            end++;
        }

        if (end < t.Length && t[end] == '=')
        {
            valueStart = end + 1;
        }
        else if (end + 1 < t.Length && t[end] == '+' && t[end + 1] == '=')
        {
            append = true;
            valueStart = end + 2;
        }
        else
        {
            return false;
        }

        name = t[p..end];
        return true;
    }

    private bool TryWord(int p, string[] words, out int after)
    {
        foreach (var word in words)
        {
            var end = p + word.Length;
            if (string.CompareOrdinal(t, p, word, 0, word.Length) == 0 && (end >= t.Length || t[end] is ' ' or '\t' or '\n' or ';'))
            {
                after = end;
                return true;
            }
        }

        after = p;
        return false;
    }

    private int SkipCommand(int p)
    {
        while (p < t.Length && t[p] is not ('\n' or ';' or '&' or '|'))
        {
            if (t[p] == '#')
            {
                return EndOfLine(p);
            }

            p = SkipBlanks(SkipWord(p));
        }

        return p;
    }

    // Skips one shell word of some other command, honouring quotes so their content is not read as commands.
    private int SkipWord(int p)
    {
        var start = p;
        while (p < t.Length && !EndsWord(t[p]))
        {
            switch (t[p])
            {
                case '\'':
                    var close = t.IndexOf('\'', p + 1);
                    p = close < 0 ? throw Unparsable(p, Messages.GrubSingleQuoteOpen) : close + 1;
                    break;
                case '"':
                    p = SkipDouble(p);
                    break;
                case '\\':
                    p += 2;
                    break;
                case '`':
                    var tick = t.IndexOf('`', p + 1);
                    p = tick < 0 ? throw Unparsable(p, Messages.GrubBackquoteOpen) : tick + 1;
                    break;
                case '$' when p + 1 < t.Length && t[p + 1] == '(':
                    p = SkipParens(p + 1);
                    break;
                default:
                    p++;
                    break;
            }
        }

        return p == start && p < t.Length && t[p] is '(' or ')' or '<' or '>' ? p + 1 : p;
    }

    private int SkipDouble(int open)
    {
        for (var p = open + 1; p < t.Length; p++)
        {
            if (t[p] == '\\')
            {
                p++;
            }
            else if (t[p] == '"')
            {
                return p + 1;
            }
        }

        throw Unparsable(open, Messages.GrubDoubleQuoteOpen);
    }

    private int SkipParens(int open)
    {
        var depth = 0;
        for (var p = open; p < t.Length; p++)
        {
            switch (t[p])
            {
                case '(':
                    depth++;
                    break;
                case ')' when --depth == 0:
                    return p + 1;
                case '\'':
                    p = t.IndexOf('\'', p + 1) is var q and >= 0 ? q : t.Length;
                    break;
                case '"':
                    p = SkipDouble(p) - 1;
                    break;
            }
        }

        throw Unparsable(open, Messages.GrubSubshellOpen);
    }

    private static bool EndsWord(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

    private int SkipBlanks(int p)
    {
        while (p < t.Length && (t[p] is ' ' or '\t' or '\r' || (t[p] == '\\' && p + 1 < t.Length && t[p + 1] == '\n')))
        {
            p += t[p] == '\\' ? 2 : 1;
        }

        return p;
    }

    private int EndOfLine(int p)
    {
        var newline = t.IndexOf('\n', p);
        return newline < 0 ? t.Length : newline;
    }

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private int LineOf(int p) => t.AsSpan(0, Math.Min(p, t.Length)).Count('\n') + 1;

    private KvmTimeException Unparsable(int p, string why) => new(ErrorIds.BootConfigUnparsable, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.BootConfigUnparsable, path, LineOf(p), why));

    // A command named like a shell prompt ("[user@host ~]$", "user@host:~$", "host ~>") is a pasted
    // terminal line: sh would run it (or redirect into a file) when grub-mkconfig sources this file.
    // A line of thousands of commands ("a || b || c ...") is checked once, not once per command:
    // its end and where its last "]$" or "]#" starts (the rest of a line holds one when that is after the word).
    private int promptLineStart = -1;
    private int promptLineEnd = -1;
    private int promptLastMark = -1;

    private (int LineEnd, int LastMark) PromptMarks(int p)
    {
        if (p < promptLineStart || p > promptLineEnd)
        {
            promptLineStart = p == 0 ? 0 : t.LastIndexOf('\n', p - 1) + 1;
            promptLineEnd = EndOfLine(p);
            var line = t.AsSpan(promptLineStart, promptLineEnd - promptLineStart);
            var mark = Math.Max(line.LastIndexOf("]$", StringComparison.Ordinal), line.LastIndexOf("]#", StringComparison.Ordinal));
            promptLastMark = mark < 0 ? -1 : promptLineStart + mark;
        }

        return (promptLineEnd, promptLastMark);
    }

    private void RefusePrompt(int p)
    {
        var end = p;
        while (end < t.Length && !char.IsWhiteSpace(t[end]) && t[end] != ';')
        {
            end++;
        }

        var word = t.AsSpan(p, end - p);
        var (lineEnd, lastMark) = PromptMarks(p);
        var rest = t.AsSpan(end, lineEnd - end);
        if (word.Contains('@') || word.Contains(":~", StringComparison.Ordinal) || word.EndsWith("$", StringComparison.Ordinal) || rest.TrimStart().StartsWith("~>", StringComparison.Ordinal) || lastMark >= end)
        {
            throw new KvmTimeException(ErrorIds.BootConfigNotShell, FailureKind.InvalidData, string.Format(CultureInfo.InvariantCulture, Messages.BootConfigNotShell, path, LineOf(p), t[p..lineEnd].TrimEnd('\r')));
        }
    }

    private KvmTimeException Unsupported(int p, string why) => new(ErrorIds.BootConfigUnsupportedSyntax, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.BootConfigUnsupportedSyntax, path, LineOf(p), why, Linux, LinuxDefault));

    private KvmTimeException VariableReference(int p, string what) => new(ErrorIds.BootConfigVariableReference, FailureKind.InvalidData,
        string.Format(CultureInfo.InvariantCulture, Messages.BootConfigVariableReference, path, LineOf(p), what, Linux, LinuxDefault));

    /// <summary>One character of a variable's value, or one reference to a command-line variable, with its raw span.</summary>
    private sealed record ValueItem(char Value, string? Name, int Start, int End, int Segment)
    {
        public static ValueItem Char(char value, int start, int end, int segment) => new(value, null, start, end, segment);

        public static ValueItem Reference(string name, int start, int end, int segment) => new('\0', name, start, end, segment);
    }
}
