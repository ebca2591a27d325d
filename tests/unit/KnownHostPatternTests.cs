using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>OpenSSH's match_pattern semantics ('*', '?'), in one pass whatever the pattern.</summary>
public sealed class KnownHostPatternTests
{
    [Theory]
    [InlineData("*.example.net", "guest1.example.net", true)]
    [InlineData("*.example.net", "example.net", false)]
    [InlineData("guest?.example.net", "guest1.example.net", true)]
    [InlineData("guest?.example.net", "guest12.example.net", false)]
    [InlineData("*", "", true)]
    [InlineData("?", "", false)]
    [InlineData("a*b*c", "abxxbxc", true)]
    [InlineData("a*b*c", "abxxbxd", false)]
    [InlineData("[192.0.2.*]:2222", "[192.0.2.10]:2222", true)]
    [InlineData("**a", "bbba", true)]
    public void Wildcards_match_as_OpenSSH_does(string pattern, string name, bool expected) =>
        Assert.Equal(expected, KnownHostEntry.WildcardMatches(pattern, name));

    [Fact]
    public void Two_thousand_stars_against_a_non_matching_name_answer_at_once()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 2000)) + "b";
        var name = new string('a', 4000);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(KnownHostEntry.WildcardMatches(pattern, name));
        // O(pattern x name) at worst: 16 million steps, far from the recursion that never finished.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.ElapsedMilliseconds} ms");
    }
}
