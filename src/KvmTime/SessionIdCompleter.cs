using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>Tab completion for -Id: the open KvmTime sessions, each with its user and host as the tooltip.</summary>
public sealed class SessionIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return KvmTimeSession.All
            .Select(s => (Id: s.Id.ToString(CultureInfo.InvariantCulture), Tip: $"{s.UserName}@{s.ComputerName} ({s.State})"))
            .Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => new CompletionResult(s.Id, $"{s.Id} {s.Tip}", CompletionResultType.ParameterValue, s.Tip));
    }
}
