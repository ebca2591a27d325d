using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmTime.Linux;

namespace KvmTime.Commands;

/// <summary>
/// Completes clocksource names: the sources this machine offers when the command targets it, or the
/// names known on KVM, Hyper-V and Xen guests when it targets others (asking them would cost a round trip per key press).
/// </summary>
public sealed class ClocksourceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        var names = TargetsOnlyThisMachine(fakeBoundParameters) ? LocalNames() ?? Clocksources.KnownNames : Clocksources.KnownNames;
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return names
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }

    private static bool TargetsOnlyThisMachine(IDictionary bound) =>
        !bound.Contains("ComputerName") || LanguagePrimitives.ConvertTo<string[]>(bound["ComputerName"])
            .All(n => n is "." or "localhost" || string.Equals(n, Environment.MachineName, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<string>? LocalNames()
    {
        try
        {
            return File.ReadAllText(Clocksources.AvailablePath).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
