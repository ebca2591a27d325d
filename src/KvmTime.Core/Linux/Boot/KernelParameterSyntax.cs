using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Checks that every word of a plain kernel command line is a kernel parameter: name[=value], the
/// name from [A-Za-z0-9_.-], double quotes balanced as the kernel's next_arg() pairs them, and no
/// shell prompt or redirection characters. A copied prompt ("[user@host ~]$", "user@host ~>") or a
/// word an editor cut off ("root=UUID=12ab>") makes the file refused rather than silently kept.
/// </summary>
internal static partial class KernelParameterSyntax
{
    /// <param name="allowVariables">grubby prints BLS variable references such as $tuned_params as they stand; they are kept untouched.</param>
    public static void Require(IEnumerable<ArgumentWord> words, string text, string path, bool allowVariables)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(text);
        foreach (var word in words.Where(w => !w.Opaque))
        {
            var raw = text[word.Start..word.End];
            if (allowVariables && VariablePattern().IsMatch(raw))
            {
                continue;
            }

            var why = Problem(word.Text, raw);
            if (why is not null)
            {
                var line = text.AsSpan(0, word.Start).Count('\n') + 1;
                throw new KvmTimeException(ErrorIds.BootConfigNotKernelArgument, FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, Messages.BootConfigNotKernelArgument, path, line, raw, why));
            }
        }
    }

    private static string? Problem(string word, string raw)
    {
        if (raw.Count(c => c == '"') % 2 != 0)
        {
            return Messages.KernelParameterQuoteOpen;
        }

        if (word == "--")
        {
            return null; // the kernel hands the words after "--" to init
        }

        var equals = word.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? word : word[..equals];
        if (!NamePattern().IsMatch(name))
        {
            return string.Format(CultureInfo.InvariantCulture, Messages.KernelParameterBadName, name);
        }

        var bad = word.FirstOrDefault(c => c is '<' or '>' or '|' or ';' or '&' or '`' || char.IsControl(c));
        return bad == default ? null : string.Format(CultureInfo.InvariantCulture, Messages.KernelParameterBadCharacter, bad);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\$[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariablePattern();
}
