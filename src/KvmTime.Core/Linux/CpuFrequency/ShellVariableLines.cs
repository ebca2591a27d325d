using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>
/// Reads and sets one plain variable of a small sourced configuration file (/etc/sysconfig/cpupower,
/// /etc/default/cpufrequtils) line by line: the last assignment counts, as when sh sources the file.
/// An assignment KvmTime cannot read exactly (expansions, escapes, continued lines) is left to a human.
/// </summary>
internal static partial class ShellVariableLines
{
    /// <summary>The value the file gives <paramref name="name"/>, or null when it does not assign it.</summary>
    public static string? Value(string text, string name, string path, string computerName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? value = null;
        foreach (var line in text.Split('\n'))
        {
            if (Read(line, name, path, computerName) is { } found)
            {
                value = found;
            }
        }

        return value;
    }

    /// <summary>
    /// The text with <paramref name="name"/> set to <paramref name="value"/> (double-quoted; values are
    /// governor names and options, never quotes or dollars): the last assignment is rewritten in place,
    /// earlier ones stay (the last one wins), and a file without one gets a line at its end.
    /// </summary>
    public static string Set(string text, string name, string value, string path, string computerName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(value);
        var lines = text.Split('\n').ToList();
        var last = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (Read(lines[i], name, path, computerName) is not null)
            {
                last = i;
            }
        }

        var assignment = $"{name}=\"{value}\"";
        if (last >= 0)
        {
            var match = Assignment().Match(lines[last].TrimEnd('\r'));
            lines[last] = match.Groups["lead"].Value + assignment + match.Groups["tail"].Value;
            return string.Join('\n', lines);
        }

        return text.Length == 0 || text.EndsWith('\n') ? text + assignment + "\n" : text + "\n" + assignment + "\n";
    }

    private static string? Read(string line, string name, string path, string computerName)
    {
        line = line.TrimEnd('\r');
        if (!AnyAssignment().Match(line).Success || AnyAssignment().Match(line).Groups["name"].Value != name)
        {
            return null;
        }

        var match = Assignment().Match(line);
        if (!match.Success)
        {
            throw new KvmTimeException(ErrorIds.GovernorConfigNotEditable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.GovernorConfigNotEditable, computerName, path, name, line.Trim()))
            { ComputerName = computerName };
        }

        var raw = match.Groups["value"].Value;
        return raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') ? raw[1..^1] : raw;
    }

    // Any line that assigns a variable (possibly exported).
    [GeneratedRegex(@"^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex AnyAssignment();

    // One plain assignment: a double-quoted value without $ ` \ or ", a single-quoted one, or a bare word; then at most a comment.
    [GeneratedRegex("""^(?<lead>[ \t]*(?:export[ \t]+)?)[A-Za-z_][A-Za-z0-9_]*=(?<value>"[^"$`\\]*"|'[^']*'|[^\s"'$`\\;&|<>()#]*)(?<tail>[ \t]*(?:#.*)?)$""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Assignment();
}
