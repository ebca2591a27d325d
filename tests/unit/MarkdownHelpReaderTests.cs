using KvmTime.HelpBuilder;
using Xunit;

namespace KvmTime.Tests;

public class MarkdownHelpReaderTests
{
    [Fact]
    public void Shell_comments_inside_example_code_are_not_headings()
    {
        var page = "# Set-Thing\n\n## SYNOPSIS\nDoes it.\n\n## EXAMPLES\n\n### Example 1: Preview\n```powershell\nPS> Set-Thing -WhatIf\n# run: update-grub\n## not a section\n```\n\nShows the plan.\n";

        var help = MarkdownHelpReader.Read(page);

        Assert.Equal("Set-Thing", help.Name);
        Assert.Equal("Does it.", help.Synopsis);
        var example = Assert.Single(help.Examples);
        Assert.Contains("# run: update-grub", example.Code, StringComparison.Ordinal);
    }
}
