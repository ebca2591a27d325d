using KvmTime.Changes;
using Xunit;

namespace KvmTime.Tests;

/// <summary>The -WhatIf diff: the shared head and tail set aside, a size cap, and (as before) an added line printed before the line it replaces.</summary>
public sealed class UnifiedDiffTests
{
    [Fact]
    public void One_changed_line_in_a_long_file_is_one_hunk_with_three_lines_of_context()
    {
        var old = string.Concat(Enumerable.Range(0, 8000).Select(i => $"line {i}\n"));
        var changed = old.Replace("line 4000\n", "line 4000 changed\n", StringComparison.Ordinal);

        var diff = UnifiedDiff.Create("/etc/default/grub", old, changed);

        Assert.Equal(
            "--- a/etc/default/grub\n+++ b/etc/default/grub\n@@ -3998,7 +3998,7 @@\n line 3997\n line 3998\n line 3999\n-line 4000\n+line 4000 changed\n line 4001\n line 4002\n line 4003\n",
            diff);
    }

    [Fact]
    public void Files_too_different_to_compare_within_the_cap_say_file_replaced()
    {
        var old = string.Concat(Enumerable.Range(0, 8000).Select(i => $"old {i}\n"));
        var replacement = string.Concat(Enumerable.Range(0, 8000).Select(i => $"new {i}\n"));

        var diff = UnifiedDiff.Create("/x.xml", old, replacement);

        Assert.Equal("--- a/x.xml\n+++ b/x.xml\nfile replaced (8000 lines)\n", diff);
    }

    [Fact]
    public void A_small_rewrite_is_still_diffed_line_by_line_in_diff_u_order()
    {
        var diff = UnifiedDiff.Create("/f", "a\nb\nc\n", "a\nB\nc\nd\n");

        Assert.Equal("--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n", diff);
    }
}
