using System.Globalization;
using System.Text.RegularExpressions;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// The kernel arguments to set and to remove. Names and values are checked here, before any plan
/// is made, so that nothing unsafe can reach a boot configuration file or a shell.
/// </summary>
internal sealed partial class KernelArgumentEdit
{
    private KernelArgumentEdit(IReadOnlyList<KernelArgument> set, IReadOnlyList<KernelArgument> remove)
    {
        Set = set;
        Remove = remove;
    }

    /// <summary>Arguments that must be present exactly once with this value (or as a bare flag when Value is null).</summary>
    public IReadOnlyList<KernelArgument> Set { get; }

    /// <summary>Arguments to remove: every occurrence of the name, or for repeatable names (tsc=) only that value.</summary>
    public IReadOnlyList<KernelArgument> Remove { get; }

    public bool IsEmpty => Set.Count == 0 && Remove.Count == 0;

    public static KernelArgumentEdit Create(IEnumerable<KernelArgument> set, IEnumerable<KernelArgument> remove)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(remove);
        var setList = set.ToList();
        var removeList = remove.ToList();
        foreach (var argument in setList.Concat(removeList))
        {
            Validate(argument);
        }

        return new KernelArgumentEdit(setList, removeList);
    }

    /// <summary>
    /// The kernel parses tsc= with strcmp, one value per occurrence (tsc=reliable tsc=nowatchdog), so
    /// its occurrences are told apart by value; every other name holds one value and the last one wins.
    /// </summary>
    public static bool IsRepeatable(string name) => name == "tsc";

    /// <summary>True when a word on a command line is an occurrence of <paramref name="wanted"/>.</summary>
    public static bool Matches(KernelArgument wanted, KernelArgument word, bool byValue)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(word);
        if (word.Name != wanted.Name)
        {
            return false;
        }

        return !(byValue && IsRepeatable(wanted.Name)) || word.Value == wanted.Value;
    }

    private static void Validate(KernelArgument argument)
    {
        if (!SafeName().IsMatch(argument.Name) || (argument.Value is not null && !SafeValue().IsMatch(argument.Value)))
        {
            throw new KvmTimeException(ErrorIds.UnsafeKernelArgument, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.UnsafeKernelArgument, argument));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeName();

    [GeneratedRegex(@"^[A-Za-z0-9_.,:+\-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeValue();
}
