using System.Reflection;
using System.Text.RegularExpressions;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>
/// Error IDs are what scripts match on, so they live in one place (ErrorIds) and never as a literal
/// at the point of failure, where a typo would silently create a new ID.
/// </summary>
public partial class ErrorIdTests
{
    [Fact]
    public void Every_error_id_constant_is_its_own_name_and_unique()
    {
        var fields = typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static);
        Assert.True(fields.Length > 100, $"only {fields.Length} IDs");
        foreach (var field in fields)
        {
            Assert.Equal(field.Name, (string)field.GetRawConstantValue()!);
        }
    }

    [Fact]
    public void No_source_file_raises_an_error_with_a_literal_id()
    {
        var offenders = SourceFiles()
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => LiteralId().IsMatch(l.line))
            .Select(l => $"{Path.GetFileName(l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<string> SourceFiles()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KvmTime.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var src = Path.Combine(directory!.FullName, "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("ErrorIds.cs", StringComparison.Ordinal));
        return files;
    }

    // new KvmTimeException("Id", ...), ("Id", FailureKind.X, ...), ErrorId == "Id", ("Id", ErrorCategory.X, ...).
    [GeneratedRegex(@"KvmTimeException\(""|""[A-Z][A-Za-z0-9]+"", (FailureKind|ErrorCategory)\.|ErrorId == """)]
    private static partial Regex LiteralId();
}
