using System.Security.Cryptography;
using System.Text;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class KnownHostsTests
{
    private static readonly byte[] KeyA = Blob("ssh-ed25519", 1);
    private static readonly byte[] KeyB = Blob("ssh-ed25519", 2);

    // An SSH public key blob: string type, then key bytes.
    private static byte[] Blob(string type, byte seed)
    {
        var typeBytes = Encoding.ASCII.GetBytes(type);
        var blob = new byte[4 + typeBytes.Length + 32];
        blob[3] = (byte)typeBytes.Length;
        typeBytes.CopyTo(blob, 4);
        blob.AsSpan(4 + typeBytes.Length).Fill(seed);
        return blob;
    }

    private static KnownHosts Load(params string[] lines)
    {
        var path = Path.GetTempFileName();
        File.WriteAllLines(path, lines);
        try
        {
            return KnownHosts.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Line(string hosts, byte[] key, string marker = "") =>
        $"{marker} {hosts} ssh-ed25519 {Convert.ToBase64String(key)} comment".Trim();

    private static string Hashed(string name)
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        return $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(name)))}";
    }

    [Fact]
    public void Port_22_uses_the_bare_name_and_other_ports_the_bracket_form()
    {
        Assert.Equal("web1", KnownHosts.LookupName("web1", 22));
        Assert.Equal("[web1]:2222", KnownHosts.LookupName("web1", 2222));
    }

    [Fact]
    public void Trusted_unknown_and_changed_keys_are_told_apart()
    {
        var known = Load("# comment", Line("[10.0.0.1]:2222,web1", KeyA));

        Assert.Equal(HostKeyVerdict.Trusted, known.Check("10.0.0.1", 2222, "ssh-ed25519", KeyA).Verdict);
        Assert.Equal(HostKeyVerdict.Trusted, known.Check("web1", 22, "ssh-ed25519", KeyA).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, known.Check("10.0.0.1", 22, "ssh-ed25519", KeyA).Verdict);
        var changed = known.Check("10.0.0.1", 2222, "ssh-ed25519", KeyB);
        Assert.Equal(HostKeyVerdict.Changed, changed.Verdict);
        Assert.Equal(2, changed.KnownEntries[0].LineNumber);
    }

    [Fact]
    public void Hashed_entries_match_only_their_name()
    {
        var known = Load(Line(Hashed("[127.0.0.1]:2200"), KeyA));

        Assert.Equal(HostKeyVerdict.Trusted, known.Check("127.0.0.1", 2200, "ssh-ed25519", KeyA).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, known.Check("127.0.0.1", 2201, "ssh-ed25519", KeyA).Verdict);
    }

    [Fact]
    public void Wildcards_and_negation_follow_openssh()
    {
        var known = Load(Line("*.lab.example,!db?.lab.example", KeyA));

        Assert.Equal(HostKeyVerdict.Trusted, known.Check("web7.lab.example", 22, "ssh-ed25519", KeyA).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, known.Check("db1.lab.example", 22, "ssh-ed25519", KeyA).Verdict);
        Assert.Equal(HostKeyVerdict.Unknown, known.Check("lab.example", 22, "ssh-ed25519", KeyA).Verdict);
    }

    [Fact]
    public void Revoked_keys_are_refused_whatever_else_trusts_them()
    {
        var known = Load(Line("web1", KeyA), Line("*", KeyA, "@revoked"));

        Assert.Equal(HostKeyVerdict.Revoked, known.Check("web1", 22, "ssh-ed25519", KeyA).Verdict);
    }

    [Fact]
    public void Garbage_lines_are_skipped_not_fatal()
    {
        var known = Load("web1 ssh-ed25519 not-base64!!", "onlyonefield", string.Empty, Line("web2", KeyA));

        Assert.Single(known.Entries);
    }

    [Fact]
    public void Append_adds_one_line_and_keeps_the_rest()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "# mine\nweb1 ssh-ed25519 AAAA");
        try
        {
            KnownHosts.Append(path, "127.0.0.1", 2222, "ssh-ed25519", KeyA);

            Assert.Equal(["# mine", "web1 ssh-ed25519 AAAA", $"[127.0.0.1]:2222 ssh-ed25519 {Convert.ToBase64String(KeyA)}"], File.ReadAllLines(path));
            Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.Load(path).Check("127.0.0.1", 2222, "ssh-ed25519", KeyA).Verdict);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Append_keeps_a_symlink_and_the_mode_of_the_file_it_points_to()
    {
        var dir = Directory.CreateTempSubdirectory("kvmtime-kh-").FullName;
        try
        {
            var real = Path.Combine(dir, "real_known_hosts");
            var link = Path.Combine(dir, "known_hosts");
            File.WriteAllText(real, "web1 ssh-ed25519 AAAA\n");
            File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.CreateSymbolicLink(link, real);

            KnownHosts.Append(link, "web2", 22, "ssh-ed25519", KeyA);

            Assert.NotNull(new FileInfo(link).LinkTarget);
            Assert.Equal(2, File.ReadAllLines(real).Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(real));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Append_creates_a_missing_file_with_mode_0600()
    {
        var dir = Directory.CreateTempSubdirectory("kvmtime-kh-").FullName;
        try
        {
            var path = Path.Combine(dir, "sub", "known_hosts");

            KnownHosts.Append(path, "web2", 2222, "ssh-ed25519", KeyA);

            Assert.Equal([$"[web2]:2222 ssh-ed25519 {Convert.ToBase64String(KeyA)}"], File.ReadAllLines(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Append_never_loses_a_line_another_writer_appends_at_the_same_time()
    {
        var path = Path.GetTempFileName();
        try
        {
            // A real 'sh' appends with >> (O_APPEND, as ssh does) while KvmTime appends 50 keys.
            var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "i=0; while [ $i -lt 200 ]; do echo \"other$i ssh-ed25519 AAAA\" >> \"$1\"; i=$((i+1)); done", "sh", path } };
            using var other = System.Diagnostics.Process.Start(info)!;
            for (var i = 0; i < 50; i++)
            {
                KnownHosts.Append(path, $"web{i}", 22, "ssh-ed25519", KeyA);
            }

            other.WaitForExit();
            var lines = File.ReadAllLines(path);
            Assert.Equal(250, lines.Length);
            Assert.Equal(200, lines.Count(l => l.StartsWith("other", StringComparison.Ordinal)));
            Assert.All(lines, l => Assert.Matches("^(other|web)[0-9]+ ssh-ed25519 [A-Za-z0-9+/=]+$", l));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fingerprints_are_unpadded_sha256_base64()
    {
        var expected = "SHA256:" + Convert.ToBase64String(SHA256.HashData(KeyA)).TrimEnd('=');

        Assert.Equal(expected, SshFingerprint.Sha256(KeyA));
        Assert.DoesNotContain("=", SshFingerprint.Sha256(KeyA), StringComparison.Ordinal);
    }
}
