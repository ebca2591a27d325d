using System.Security.Cryptography;
using System.Text;

namespace KvmTime.Targets;

/// <summary>One line of an OpenSSH known_hosts file.</summary>
internal sealed class KnownHostEntry
{
    public required int LineNumber { get; init; }

    /// <summary>"@revoked", "@cert-authority" or empty.</summary>
    public required string Marker { get; init; }

    public required IReadOnlyList<string> HostPatterns { get; init; }

    public required string KeyType { get; init; }

    public required byte[] KeyBlob { get; init; }

    public bool IsRevoked => Marker == "@revoked";

    /// <summary>Parses a line; null for comments, blank lines and lines that are not entries.</summary>
    public static KnownHostEntry? Parse(string line, int lineNumber)
    {
        var fields = line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields[0].StartsWith('#'))
        {
            return null;
        }

        var marker = fields[0].StartsWith('@') ? fields[0] : string.Empty;
        var offset = marker.Length > 0 ? 1 : 0;
        if (fields.Length < offset + 3)
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(fields[offset + 2]);
        }
        catch (FormatException)
        {
            return null;
        }

        return new KnownHostEntry
        {
            LineNumber = lineNumber,
            Marker = marker,
            HostPatterns = fields[offset].Split(','),
            KeyType = fields[offset + 1],
            KeyBlob = blob,
        };
    }

    /// <summary>True when the host name (as OpenSSH looks it up: "host" or "[host]:port") matches this entry.</summary>
    public bool Matches(string lookupName)
    {
        var matched = false;
        foreach (var pattern in HostPatterns)
        {
            var negated = pattern.StartsWith('!');
            var body = negated ? pattern[1..] : pattern;
            if (!PatternMatches(body, lookupName))
            {
                continue;
            }

            if (negated)
            {
                return false; // a negated match overrides every positive one
            }

            matched = true;
        }

        return matched;
    }

    private static bool PatternMatches(string pattern, string name)
    {
        if (pattern.StartsWith("|1|", StringComparison.Ordinal))
        {
            return HashedMatches(pattern, name);
        }

        return WildcardMatches(pattern.ToLowerInvariant(), name.ToLowerInvariant());
    }

    // |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    private static bool HashedMatches(string pattern, string name)
    {
        var parts = pattern.Split('|');
        if (parts.Length != 4)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name));
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// OpenSSH's match_pattern: '*' is any run of characters, '?' any one. One pass with the last
    /// star remembered: on a mismatch the star takes one more character and the text after it is
    /// tried again. That is at most pattern length times name length steps, never exponential, so
    /// a crafted known_hosts line cannot stall the host-key callback.
    /// </summary>
    internal static bool WildcardMatches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, starName = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starName = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++starName;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
