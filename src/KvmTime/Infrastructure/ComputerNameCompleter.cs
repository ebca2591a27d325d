using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>Tab completion for -ComputerName: open KvmTime sessions and the hosts in known_hosts.</summary>
public sealed class ComputerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var path = fakeBoundParameters?["KnownHostsPath"] as string ?? KnownHosts.DefaultPath;
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return KnownHostNames.Candidates(path)
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
