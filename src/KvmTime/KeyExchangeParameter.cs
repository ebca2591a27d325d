using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>-KeyExchangeAlgorithm accepts only the methods in <see cref="KeyExchangeChoice.Selectable"/>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateKeyExchangeAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        if (element is not string name || !KeyExchangeChoice.Selectable.Contains(name, StringComparer.Ordinal))
        {
            throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture, Messages.KeyExchangeNotOffered, element, string.Join(", ", KeyExchangeChoice.Selectable)));
        }
    }
}

/// <summary>Tab completion for -KeyExchangeAlgorithm.</summary>
public sealed class KeyExchangeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return KeyExchangeChoice.Selectable
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, KeyExchangeChoice.IsPostQuantum(name) ? $"{name} (post-quantum)" : name));
    }
}
