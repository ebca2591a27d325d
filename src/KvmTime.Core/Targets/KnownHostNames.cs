namespace KvmTime.Targets;

/// <summary>
/// The host names a user is likely to mean, for tab completion: open sessions, plain known_hosts
/// entries, and the names in /etc/hosts (so a first contact, with no known_hosts yet, completes too).
/// </summary>
internal static class KnownHostNames
{
    public const string HostsFile = "/etc/hosts";

    public static IEnumerable<string> Candidates(string knownHostsPath, string hostsFile = HostsFile)
    {
        var fromKnownHosts = File.Exists(knownHostsPath)
            ? KnownHosts.Load(knownHostsPath).Entries
                .Where(e => e.Marker.Length == 0)
                .SelectMany(e => e.HostPatterns)
                .Where(p => !p.StartsWith("|1|", StringComparison.Ordinal) && p.IndexOfAny(['*', '?', '!']) < 0)
                .Select(ToComputerName)
            : [];
        return KvmTimeSession.All.Select(s => s.ComputerName).Concat(fromKnownHosts).Concat(FromHostsFile(hostsFile)).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The names of an /etc/hosts file: every field after the address, up to a comment.</summary>
    public static IEnumerable<string> FromHostsFile(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return File.ReadLines(path)
                .Select(line => line.Split('#', 2)[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 1)
                .SelectMany(fields => fields.Skip(1))
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // known_hosts writes "[host]:port"; -ComputerName takes "host:port".
    private static string ToComputerName(string pattern)
    {
        if (pattern.StartsWith('[') && pattern.IndexOf("]:", StringComparison.Ordinal) is var close and > 0)
        {
            var host = pattern[1..close];
            return (host.Contains(':', StringComparison.Ordinal) ? pattern : host + pattern[(close + 1)..]);
        }

        return pattern;
    }
}
