using System.Collections.Concurrent;

namespace KvmTime.Targets;

/// <summary>What known_hosts says about a presented host key.</summary>
internal enum HostKeyVerdict
{
    Trusted,
    Unknown,
    Changed,
    Revoked,
}

/// <summary>The verdict and what the user needs to act on it.</summary>
internal sealed record HostKeyCheck(HostKeyVerdict Verdict, string LookupName, string PresentedFingerprint, IReadOnlyList<KnownHostEntry> KnownEntries)
{
    /// <summary>The entry that trusted the key (for -Verbose: which line of which file).</summary>
    public KnownHostEntry? MatchedEntry { get; init; }
}

/// <summary>
/// An OpenSSH known_hosts file: [host]:port entries, hashed |1| entries, wildcards, negation and
/// @revoked markers. Verification is pure; trusting a new key appends atomically.
/// </summary>
internal sealed class KnownHosts
{
    private readonly List<KnownHostEntry> entries;

    private KnownHosts(string path, List<KnownHostEntry> entries)
    {
        Path = path;
        this.entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<KnownHostEntry> Entries => entries;

    public static string DefaultPath =>
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts");

    /// <summary>
    /// The parsed file, shared by every connection while the file is unchanged (same size and
    /// modification time): a fan-out parses it once, and a line appended later (by -AcceptNewHostKey
    /// or by ssh) makes the next connection parse it again.
    /// </summary>
    public static KnownHosts LoadCached(string path)
    {
        if (FileStamp.Of(path) is not { } stamp)
        {
            return Load(path);
        }

        if (Parsed.TryGetValue(stamp.FullPath, out var cached) && cached.Stamp == stamp)
        {
            return cached.Hosts;
        }

        // Stamped before reading: if the file grows in between, the next call sees a new stamp and parses again.
        var hosts = Load(path);
        Parsed[stamp.FullPath] = (stamp, hosts);
        return hosts;
    }

    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, KnownHosts Hosts)> Parsed = new(StringComparer.Ordinal);

    public static KnownHosts Load(string path)
    {
        var entries = new List<KnownHostEntry>();
        if (File.Exists(path))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (KnownHostEntry.Parse(line, lineNumber) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return new KnownHosts(path, entries);
    }

    /// <summary>The name OpenSSH stores: the bare host on port 22, else "[host]:port".</summary>
    public static string LookupName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>The key types known for a host, so the client offers only those (as OpenSSH does).</summary>
    public IReadOnlyList<string> KnownKeyTypes(string host, int port)
    {
        var name = LookupName(host, port);
        return entries.Where(e => !e.IsRevoked && e.Marker.Length == 0 && e.Matches(name)).Select(e => e.KeyType).Distinct().ToList();
    }

    public HostKeyCheck Check(string host, int port, string keyType, byte[] keyBlob)
    {
        var name = LookupName(host, port);
        var fingerprint = SshFingerprint.Sha256(keyBlob);
        if (entries.Any(e => e.IsRevoked && e.KeyBlob.AsSpan().SequenceEqual(keyBlob)))
        {
            return new HostKeyCheck(HostKeyVerdict.Revoked, name, fingerprint, []);
        }

        var forHost = entries.Where(e => e.Marker.Length == 0 && e.Matches(name)).ToList();
        if (forHost.FirstOrDefault(e => e.KeyType == keyType && e.KeyBlob.AsSpan().SequenceEqual(keyBlob)) is { } matched)
        {
            return new HostKeyCheck(HostKeyVerdict.Trusted, name, fingerprint, forHost) { MatchedEntry = matched };
        }

        return new HostKeyCheck(forHost.Count == 0 ? HostKeyVerdict.Unknown : HostKeyVerdict.Changed, name, fingerprint, forHost);
    }

    /// <summary>
    /// Appends a trusted key in place, as ssh does: one O_APPEND write, so a line another ssh
    /// appends meanwhile is kept, a symlinked file stays a symlink, and an existing file keeps
    /// its mode. Existing lines are never rewritten. A new file gets mode 0600.
    /// </summary>
    public static void Append(string path, string host, int port, string keyType, byte[] keyBlob)
    {
        var line = LookupName(host, port) + " " + keyType + " " + Convert.ToBase64String(keyBlob) + "\n";
        // Fan-out threads may trust several new hosts at once; KnownHostsAppender also takes flock.
        lock (AppendLock)
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            KnownHostsAppender.AppendLine(path, line);
        }
    }

    private static readonly object AppendLock = new();
}
