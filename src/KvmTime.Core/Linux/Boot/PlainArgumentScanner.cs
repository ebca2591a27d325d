using System.Text;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Finds the kernel arguments in plain command-line text (/etc/kernel/cmdline, a BLS options line,
/// grubby's args), with their raw positions. Double quotes group spaces, as in the kernel's next_arg().
/// </summary>
internal static class PlainArgumentScanner
{
    public static IReadOnlyList<ArgumentWord> Scan(string text, int file, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<ArgumentWord>();
        var current = new StringBuilder();
        var wordStart = -1;
        var inQuotes = false;
        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (!inQuotes && IsSpace(c))
            {
                if (wordStart >= 0)
                {
                    words.Add(new ArgumentWord(file, wordStart, i, current.ToString(), Editable: true, Opaque: false));
                    current.Clear();
                    wordStart = -1;
                }

                continue;
            }

            if (wordStart < 0)
            {
                wordStart = i;
            }

            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else
            {
                current.Append(c);
            }
        }

        if (wordStart >= 0)
        {
            words.Add(new ArgumentWord(file, wordStart, end, current.ToString(), Editable: true, Opaque: false));
        }

        return words;
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';
}
