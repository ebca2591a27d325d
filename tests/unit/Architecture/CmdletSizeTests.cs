using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>
/// Cmdlets stay thin: bind parameters, name an operation, emit. Logic belongs in KvmTime.Core and
/// parameter groups several cmdlets share in a base class (TargetCmdlet, KernelLogCmdlet, ...).
/// A file's size is its non-blank lines other than using directives, so imports do not count.
/// </summary>
public class CmdletSizeTests
{
    public const int MaxLines = 60;

    [Fact]
    public void Every_cmdlet_file_is_at_most_60_lines()
    {
        var files = SourceTree.Files(Path.Combine("KvmTime", "Commands"));
        Assert.True(files.Count >= 18, $"only {files.Count} cmdlet files found");
        var tooLong = files
            .Select(f => (file: Path.GetFileName(f), lines: CountedLines(File.ReadLines(f))))
            .Where(f => f.lines > MaxLines)
            .Select(f => $"{f.file}: {f.lines} lines")
            .ToList();
        Assert.Empty(tooLong);
    }

    [Fact]
    public void The_count_skips_blank_and_using_lines_only()
    {
        string[] text = ["using System;", "", "namespace X;", "   ", "using var x = y;", "class C { }"];
        Assert.Equal(3, CountedLines(text));
    }

    // "using var" is a statement, not an import, so it counts.
    internal static int CountedLines(IEnumerable<string> lines) =>
        lines.Count(l => l.Trim().Length > 0 && !(l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.StartsWith("using var ", StringComparison.Ordinal)));
}
