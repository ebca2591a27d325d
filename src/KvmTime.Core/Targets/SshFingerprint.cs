using System.Security.Cryptography;

namespace KvmTime.Targets;

/// <summary>OpenSSH's SHA256 fingerprint form: "SHA256:" and unpadded base64.</summary>
internal static class SshFingerprint
{
    public static string Sha256(byte[] keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');
}
