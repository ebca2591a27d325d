using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// The cheap first pass over a kernel log: a line can only be a clocksource message if it holds
/// one of these literals. The same list becomes the grep -E pattern a remote target runs, so only
/// candidate lines cross the wire, and the byte matcher the local file reader runs.
/// </summary>
internal static class ClocksourceLogFilter
{
    /// <summary>
    /// Every clocksource, watchdog, TSC and kvm-clock message of every generation holds one of these
    /// ("locksource" covers both "clocksource" and "Clocksource"; "_now: " the 4.x wd/cs lines;
    /// "read-back" the skip line that names no watchdog; "MHz processor" the unprefixed 2.6 calibration;
    /// "Linux version" is every boot's first line, where the next boot of a saved log begins).
    /// </summary>
    public static readonly IReadOnlyList<string> Keywords =
    [
        "locksource", "kvm-clock", "kvmclock", "sched_clock", "tsc", "TSC", "atchdog", "_now: ", "(cycles)", "read-back", "MHz processor", "Linux version",
    ];

    /// <summary>
    /// For each keyword, a byte pair inside it that is rare in ordinary kernel logs ("ks" in
    /// "locksource", "SC" in "TSC", ...), and where the pair sits. One pass over the buffer looks
    /// each adjacent byte pair up in a 64-kbit table; only a table hit compares whole keywords.
    /// </summary>
    private static readonly (byte[] Keyword, int Offset)[][] ByAnchor = BuildAnchors(
    [
        ("locksource", 3), ("kvm-clock", 2), ("kvmclock", 2), ("sched_clock", 4), ("tsc", 1), ("TSC", 1),
        ("atchdog", 3), ("_now: ", 3), ("(cycles)", 0), ("read-back", 3), ("MHz processor", 1), ("Linux version", 4),
    ]);

    private static readonly ulong[] AnchorTable = BuildTable();

    private static readonly (Vector256<byte> First, Vector256<byte> Second)[] AnchorVectors = Enumerable.Range(0, 65536)
        .Where(pair => ByAnchor[pair] is not null)
        .Select(pair => (Vector256.Create((byte)pair), Vector256.Create((byte)(pair >> 8))))
        .ToArray();

    /// <summary>The same keywords as one POSIX extended regular expression for grep -E.</summary>
    public static string ExtendedRegex { get; } = string.Join('|', Keywords.Select(EscapeExtended));

    public static bool IsCandidate(ReadOnlySpan<char> line)
    {
        foreach (var keyword in Keywords)
        {
            if (line.Contains(keyword, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Finds the candidate lines of a buffer of whole lines in one pass (see <see cref="ByAnchor"/>),
    /// reported once each, in order, as (start, length) without the newline.
    /// </summary>
    public static void FindCandidateLines(ReadOnlySpan<byte> buffer, List<(int Start, int Length)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var i = Vector256.IsHardwareAccelerated ? FindVectorized(buffer, lines) : 0;
        var table = AnchorTable;
        for (; i < buffer.Length - 1; i++)
        {
            var pair = buffer[i] | (buffer[i + 1] << 8);
            if ((table[pair >> 6] & (1UL << pair)) != 0 && KeywordAt(buffer, i, ByAnchor[pair]))
            {
                i = AddLine(buffer, i, lines);
            }
        }
    }

    // 32 positions at a time: compare every byte and its successor with each anchor pair at once.
    private static int FindVectorized(ReadOnlySpan<byte> buffer, List<(int Start, int Length)> lines)
    {
        ref var origin = ref MemoryMarshal.GetReference(buffer);
        var anchors = AnchorVectors;
        var i = 0;
        while (i + Vector256<byte>.Count + 1 <= buffer.Length)
        {
            var current = Vector256.LoadUnsafe(ref origin, (nuint)i);
            var next = Vector256.LoadUnsafe(ref origin, (nuint)(i + 1));
            var hits = Vector256<byte>.Zero;
            foreach (var (first, second) in anchors)
            {
                hits |= Vector256.Equals(current, first) & Vector256.Equals(next, second);
            }

            var mask = hits.ExtractMostSignificantBits();
            var advanced = false;
            while (mask != 0)
            {
                var at = i + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                if (KeywordAt(buffer, at, ByAnchor[buffer[at] | (buffer[at + 1] << 8)]))
                {
                    i = AddLine(buffer, at, lines) + 1;
                    advanced = true;
                    break;
                }
            }

            if (!advanced)
            {
                i += Vector256<byte>.Count;
            }
        }

        return i;
    }

    /// <summary>Adds the line around a hit and returns the index of its newline, where the search goes on.</summary>
    private static int AddLine(ReadOnlySpan<byte> buffer, int hit, List<(int Start, int Length)> lines)
    {
        var start = buffer[..hit].LastIndexOf((byte)'\n') + 1;
        var end = buffer[hit..].IndexOf((byte)'\n');
        end = end < 0 ? buffer.Length : hit + end;
        lines.Add((start, end - start));
        return end;
    }

    private static bool KeywordAt(ReadOnlySpan<byte> buffer, int anchor, (byte[] Keyword, int Offset)[] keywords)
    {
        foreach (var (keyword, offset) in keywords)
        {
            var start = anchor - offset;
            if (start >= 0 && buffer[start..].StartsWith(keyword))
            {
                return true;
            }
        }

        return false;
    }

    private static (byte[] Keyword, int Offset)[][] BuildAnchors((string Keyword, int Offset)[] anchors)
    {
        if (!anchors.Select(a => a.Keyword).SequenceEqual(Keywords))
        {
            throw new InvalidOperationException("Every keyword needs an anchor pair.");
        }

        var byPair = new (byte[] Keyword, int Offset)[65536][];
        foreach (var (keyword, offset) in anchors)
        {
            var bytes = Encoding.ASCII.GetBytes(keyword);
            var pair = bytes[offset] | (bytes[offset + 1] << 8);
            byPair[pair] = [.. byPair[pair] ?? [], (bytes, offset)];
        }

        return byPair;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[65536 / 64];
        for (var pair = 0; pair < ByAnchor.Length; pair++)
        {
            if (ByAnchor[pair] is not null)
            {
                table[pair >> 6] |= 1UL << pair;
            }
        }

        return table;
    }

    private static string EscapeExtended(string literal)
    {
        var escaped = new StringBuilder(literal.Length + 4);
        foreach (var c in literal)
        {
            if ("\\.[]()*+?{}|^$".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
