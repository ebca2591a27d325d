namespace KvmTime.Targets;

/// <summary>The host names a user has connected to, for tab completion: plain known_hosts entries and open sessions.</summary>
public static class KnownHostNames
{
    public static IEnumerable<string> Candidates(string knownHostsPath)
    {
        var fromKnownHosts = File.Exists(knownHostsPath)
            ? KnownHosts.Load(knownHostsPath).Entries
                .Where(e => e.Marker.Length == 0)
                .SelectMany(e => e.HostPatterns)
                .Where(p => !p.StartsWith("|1|", StringComparison.Ordinal) && p.IndexOfAny(['*', '?', '!']) < 0)
                .Select(ToComputerName)
            : [];
        return KvmTimeSession.All.Select(s => s.ComputerName).Concat(fromKnownHosts).Distinct(StringComparer.OrdinalIgnoreCase);
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
