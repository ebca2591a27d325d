using System.Collections.Concurrent;

namespace KvmTime.Targets;

/// <summary>
/// Files parsed once per cmdlet call rather than once per connection: a fan-out to 64 hosts reads
/// each private key once. It lives as long as the call (or the session) that made it, so a
/// decrypted key does not outlive its use, and a file that changes meanwhile is parsed again.
/// </summary>
internal sealed class ParsedFileCache
{
    private readonly ConcurrentDictionary<(FileStamp Stamp, string Variant), Lazy<object>> parsed = new();

    /// <summary>
    /// The parse of the file's current version. <paramref name="variant"/> separates parses of the
    /// same file that differ (with or without a passphrase). A failure is cached like a result.
    /// </summary>
    public T GetOrParse<T>(string path, string variant, Func<T> parse)
        where T : class
    {
        if (FileStamp.Of(path) is not { } stamp)
        {
            return parse(); // let the parser report the missing file
        }

        var entry = parsed.GetOrAdd((stamp, variant), _ => new Lazy<object>(parse, LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)entry.Value;
    }
}
