using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Ssh;

/// <summary>
/// Decides, inside SSH.NET's callback thread, whether to trust a host key, and records why.
/// It never prompts and never writes to the pipeline: the verdict is turned into an error or an
/// append to known_hosts after Connect() returns, on the caller's thread.
/// </summary>
internal sealed class HostKeyPolicy(SshConnectionOptions options)
{
    private readonly KnownHosts knownHosts = KnownHosts.LoadCached(options.KnownHostsPath);

    public HostKeyCheck? LastCheck { get; private set; }

    public string? PresentedKeyType { get; private set; }

    public byte[]? PresentedKey { get; private set; }

    /// <summary>The host key algorithms to offer: only those of the key types known_hosts has, as OpenSSH does.</summary>
    public IReadOnlyList<string> KnownKeyTypes => knownHosts.KnownKeyTypes(options.Host, options.Port);

    public bool Decide(byte[] hostKeyBlob)
    {
        PresentedKey = hostKeyBlob;
        PresentedKeyType = KeyTypeOf(hostKeyBlob);
        LastCheck = knownHosts.Check(options.Host, options.Port, PresentedKeyType, hostKeyBlob);
        return LastCheck.Verdict == HostKeyVerdict.Trusted
            || (LastCheck.Verdict == HostKeyVerdict.Unknown && options.AcceptNewHostKey);
    }

    /// <summary>After a successful connect: remember a newly trusted key.</summary>
    public void PersistIfNew()
    {
        if (LastCheck?.Verdict == HostKeyVerdict.Unknown && PresentedKey is not null && PresentedKeyType is not null)
        {
            KnownHosts.Append(options.KnownHostsPath, options.Host, options.Port, PresentedKeyType, PresentedKey);
        }
    }

    /// <summary>What was decided about the host key, for -Verbose: fingerprint, and which file and line trusted it.</summary>
    public string Describe()
    {
        var check = LastCheck;
        if (check is null)
        {
            return "no host key seen";
        }

        var key = $"host key {PresentedKeyType} {check.PresentedFingerprint}";
        return check.MatchedEntry is { } entry
            ? $"{key} matches {options.KnownHostsPath} line {entry.LineNumber}"
            : check.Verdict == HostKeyVerdict.Unknown && options.AcceptNewHostKey
                ? $"{key} is new; trusted on first use (-AcceptNewHostKey) and appended to {options.KnownHostsPath}"
                : $"{key}: {check.Verdict}";
    }

    /// <summary>The specific error for a refused key, or null when the key was not the problem.</summary>
    public KvmTimeException? RefusalError()
    {
        var check = LastCheck;
        if (check is null || check.Verdict == HostKeyVerdict.Trusted || (check.Verdict == HostKeyVerdict.Unknown && options.AcceptNewHostKey))
        {
            return null;
        }

        var where = options.KnownHostsPath;
        return check.Verdict switch
        {
            HostKeyVerdict.Unknown => new KvmTimeException(ErrorIds.HostKeyUnknown, FailureKind.SecurityError,
                string.Format(CultureInfo.InvariantCulture, Messages.HostKeyUnknown, check.LookupName, where, PresentedKeyType, check.PresentedFingerprint)),
            HostKeyVerdict.Revoked => new KvmTimeException(ErrorIds.HostKeyRevoked, FailureKind.SecurityError,
                string.Format(CultureInfo.InvariantCulture, Messages.HostKeyRevoked, check.LookupName, check.PresentedFingerprint, where)),
            _ => new KvmTimeException(ErrorIds.HostKeyMismatch, FailureKind.SecurityError,
                string.Format(CultureInfo.InvariantCulture, Messages.HostKeyMismatch, check.LookupName, PresentedKeyType, check.PresentedFingerprint,
                    string.Join(", ", check.KnownEntries.Select(e => string.Format(CultureInfo.InvariantCulture, Messages.HostKeyKnownEntry, e.KeyType, SshFingerprint.Sha256(e.KeyBlob), where, e.LineNumber))),
                    where, check.KnownEntries[0].LineNumber)),
        };
    }

    /// <summary>An SSH public key blob starts with its type as an SSH string: uint32 length, then ASCII.</summary>
    internal static string KeyTypeOf(byte[] blob)
    {
        if (blob.Length < 4)
        {
            return "unknown";
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(blob);
        return length > 0 && length <= blob.Length - 4 ? Encoding.ASCII.GetString(blob, 4, length) : "unknown";
    }
}
