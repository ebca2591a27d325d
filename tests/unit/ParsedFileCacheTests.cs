using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public sealed class ParsedFileCacheTests : IDisposable
{
    private readonly string path = Path.GetTempFileName();

    public void Dispose() => File.Delete(path);

    [Fact]
    public async Task Concurrent_connections_parse_an_unchanged_file_once()
    {
        var cache = new ParsedFileCache();
        var parses = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            cache.GetOrParse(path, "plain", () => { Interlocked.Increment(ref parses); return new object(); }))));

        Assert.Equal(1, parses);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public void A_changed_file_or_another_variant_is_parsed_again()
    {
        var cache = new ParsedFileCache();
        var first = cache.GetOrParse(path, "plain", () => new object());

        Assert.NotSame(first, cache.GetOrParse(path, "passphrase", () => new object()));
        File.AppendAllText(path, "more");
        Assert.NotSame(first, cache.GetOrParse(path, "plain", () => new object()));
    }
}
