using System.Globalization;
using KvmTime.Resources;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>
/// Error messages live in KvmTime.Core/Resources/Messages.resx and are formatted with the invariant
/// culture, as PowerShell's own cmdlets do. The source is read with Roslyn: a KvmTimeException whose
/// message is a literal, an interpolated string or a concatenation with a literal fails, and so does
/// an exception the cmdlet layer builds for an ErrorRecord from one.
/// </summary>
public class MessageResourceTests
{
    private static readonly string[] Folders = ["KvmTime.Core", "KvmTime.Ssh", "KvmTime"];

    [Fact]
    public void Every_KvmTimeException_message_comes_from_the_resources()
    {
        var files = Folders.SelectMany(SourceTree.Files).ToList();
        Assert.True(files.Count > 300, $"only {files.Count} source files found");
        var offenders = files.SelectMany(f => KvmTimeExceptionOffenders(File.ReadAllText(f)).Select(o => $"{Path.GetFileName(f)}: {o}")).ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_exception_the_cmdlet_layer_builds_has_a_resource_message()
    {
        var offenders = SourceTree.Files("KvmTime")
            .SelectMany(f => CreationsOf(File.ReadAllText(f), type => type.EndsWith("Exception", StringComparison.Ordinal))
                .Where(c => c.Arguments.Count > 0 && Problem(c.Arguments[0].Expression) is not null)
                .Select(c => $"{Path.GetFileName(f)}: {c.Text}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, "a literal")""")]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, $"{name}: interpolated")""")]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, string.Create(CultureInfo.InvariantCulture, $"{name}"))""")]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, "prefix " + name)""")]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, string.Format(CultureInfo.InvariantCulture, Messages.X, $"{a} b"))""")]
    [InlineData("""new KvmTimeException("only a message")""")]
    [InlineData("""new(ErrorIds.X, FailureKind.InvalidData, $"target-typed {name}")""")]
    public void The_check_catches_messages_written_in_code(string creation) =>
        Assert.Single(KvmTimeExceptionOffenders(Wrap(creation)));

    [Fact]
    public void The_check_catches_a_constructor_that_chains_with_a_literal() =>
        Assert.Single(KvmTimeExceptionOffenders("""class KvmTimeException { public KvmTimeException() : this(ErrorIds.Unknown, FailureKind.NotSpecified, "literal") { } }"""));

    [Theory]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, Messages.X)""")]
    [InlineData("""new KvmTimeException(ErrorIds.X, FailureKind.InvalidData, string.Format(CultureInfo.InvariantCulture, Messages.X, name, string.Join(", ", all)))""")]
    [InlineData("""new KvmTimeException(error.ErrorId, error.Kind, error.Message, error.InnerException)""")]
    public void The_check_accepts_resource_messages(string creation) =>
        Assert.Empty(KvmTimeExceptionOffenders(Wrap(creation)));

    [Fact]
    public void Messages_resolve_under_any_ui_culture_with_the_same_text()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("-Interval must be at least one second.", Messages.WatchIntervalTooShort);
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            // Formatted with the invariant culture: a decimal point, whatever the user's culture.
            Assert.StartsWith("h: the guest agent did not answer x within 1.5 s.", string.Format(CultureInfo.InvariantCulture, Messages.AgentTimeout, "h", "x", 1.5));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
            CultureInfo.CurrentCulture = before;
        }
    }

    private static string Wrap(string creation) => $"class C {{ object M() => {creation}; }}";

    private static IEnumerable<string> KvmTimeExceptionOffenders(string source)
    {
        foreach (var creation in CreationsOf(source, type => type == "KvmTimeException"))
        {
            var arguments = creation.Arguments;
            var message = arguments.Count >= 3 ? arguments[2].Expression : arguments.Count > 0 ? arguments[0].Expression : null;
            if (message is not null && Problem(message) is { } problem)
            {
                yield return $"{problem}: {creation.Text}";
            }
        }
    }

    /// <summary>Explicit creations of the named type, and target-typed ones that pass an error ID and a FailureKind.</summary>
    private static IEnumerable<(SeparatedSyntaxList<ArgumentSyntax> Arguments, string Text)> CreationsOf(string source, Func<string, bool> isType)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            var arguments = node switch
            {
                ObjectCreationExpressionSyntax { Type: var type, ArgumentList: { } list } when isType(type.ToString()) => list.Arguments,
                ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: >= 3 } list } when isType("KvmTimeException") && list[1].ToString().Contains("Kind", StringComparison.Ordinal) => list,
                // KvmTimeException's own constructors chain with ": this(id, kind, message)".
                ConstructorInitializerSyntax { ArgumentList.Arguments: { Count: >= 3 } list, Parent: ConstructorDeclarationSyntax { Identifier.Text: var name } } when isType(name) => list,
                _ => default(SeparatedSyntaxList<ArgumentSyntax>?),
            };
            if (arguments is { } found)
            {
                yield return (found, node.ToString().Split('\n')[0].Trim());
            }
        }
    }

    private static string? Problem(ExpressionSyntax message)
    {
        while (message is ParenthesizedExpressionSyntax p)
        {
            message = p.Expression;
        }

        if (message.DescendantNodesAndSelf().OfType<InterpolatedStringExpressionSyntax>().Any())
        {
            return "interpolated string";
        }

        if (message.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return "literal";
        }

        return message is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.AddExpression)
            && binary.DescendantNodesAndSelf().Any(n => n.IsKind(SyntaxKind.StringLiteralExpression))
            ? "concatenated literal"
            : null;
    }
}
