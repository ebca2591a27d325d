using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>
/// Which SSH key exchange methods a connection offers, and in which order. By default every method
/// the SSH library has, post-quantum hybrids first and the cheapest of them first; -KeyExchangeAlgorithm
/// offers only the methods given, in the order given.
/// </summary>
internal static class KeyExchangeChoice
{
    /// <summary>
    /// Post-quantum hybrids, cheapest for the client first: ML-KEM-768 costs well under a millisecond,
    /// sntrup761 about 4 ms with KvmTime's own implementation (see bench/results/connection-cost.md).
    /// </summary>
    public static readonly IReadOnlyList<string> PostQuantum =
        ["mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com"];

    /// <summary>What -KeyExchangeAlgorithm accepts: no SHA-1 and no 1024-bit group, which OpenSSH no longer offers either.</summary>
    public static readonly IReadOnlyList<string> Selectable =
    [
        .. PostQuantum,
        "curve25519-sha256", "curve25519-sha256@libssh.org",
        "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
        "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256",
    ];

    public static bool IsPostQuantum(string algorithm) => PostQuantum.Contains(algorithm, StringComparer.Ordinal);

    /// <summary>
    /// The methods to offer, in order of preference, from those the library supports (in its order):
    /// the chosen ones as given, or else all of them with the post-quantum hybrids moved to the front.
    /// </summary>
    public static IReadOnlyList<string> Offer(IReadOnlyList<string> supported, IReadOnlyList<string>? chosen)
    {
        if (chosen is { Count: > 0 })
        {
            var unsupported = chosen.Where(c => !supported.Contains(c, StringComparer.Ordinal)).ToList();
            if (unsupported.Count > 0)
            {
                throw new KvmTimeException(ErrorIds.KeyExchangeUnsupported, FailureKind.InvalidArgument,
                    string.Format(CultureInfo.InvariantCulture, Messages.KeyExchangeUnsupported, string.Join(", ", unsupported), string.Join(", ", supported)));
            }

            return chosen.Distinct(StringComparer.Ordinal).ToList();
        }

        var postQuantum = PostQuantum.Where(p => supported.Contains(p, StringComparer.Ordinal));
        return postQuantum.Concat(supported.Where(s => !IsPostQuantum(s))).ToList();
    }
}
