using System.Text;

namespace KvmTime.Linux.Boot;

/// <summary>
/// The values sh gives GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT after sourcing one file on
/// its own, as KvmTime reads the file: what the target's own sh must agree with before the file is
/// written (<see cref="Changes.ShellCheck"/>).
/// </summary>
internal static class GrubShellValues
{
    public static IReadOnlyDictionary<string, string> Evaluate(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GrubDefaultParser.Linux] = string.Empty,
            [GrubDefaultParser.LinuxDefault] = string.Empty,
        };
        foreach (var assignment in GrubDefaultParser.Parse(text, 0, path))
        {
            var value = new StringBuilder();
            foreach (var segment in assignment.Segments)
            {
                var raw = text[segment.Start..segment.End];
                value.Append(segment.Kind switch
                {
                    QuoteKind.Single => raw[1..^1],
                    QuoteKind.Double => Expand(raw[1..^1], values, "$`\"\\\n"),
                    _ => Expand(raw, values, null),
                });
            }

            values[assignment.Name] = value.ToString();
        }

        return values;
    }

    // Backslash keeps the next character (inside double quotes only the listed ones); a backslash-newline vanishes; $NAME and ${NAME} expand.
    private static string Expand(string raw, Dictionary<string, string> values, string? escapable)
    {
        var result = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && (escapable is null || escapable.Contains(raw[i + 1], StringComparison.Ordinal)))
            {
                if (raw[i + 1] != '\n')
                {
                    result.Append(raw[i + 1]);
                }

                i++;
            }
            else if (c == '$' && i + 1 < raw.Length && (raw[i + 1] == '{' || char.IsLetter(raw[i + 1]) || raw[i + 1] == '_'))
            {
                var braced = raw[i + 1] == '{';
                var start = braced ? i + 2 : i + 1;
                var end = start;
                while (end < raw.Length && (char.IsLetterOrDigit(raw[end]) || raw[end] == '_'))
                {
                    end++;
                }

                result.Append(values.GetValueOrDefault(raw[start..end], string.Empty));
                i = braced ? end : end - 1;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
