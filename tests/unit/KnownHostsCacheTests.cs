using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>A parsed known_hosts is reused only while the file is unchanged: a later line is always seen.</summary>
public sealed class KnownHostsCacheTests : IDisposable
{
    private static readonly byte[] KeyA = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB");
    private static readonly byte[] KeyB = Convert.FromBase64String("AAAAC3NzaC1lZDI1NTE5AAAAIAICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIC");
    private readonly string directory = Directory.CreateTempSubdirectory("kvmtime-khcache-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string NewFile(params string[] lines)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N"));
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Line(string host, byte[] key) => $"{host} ssh-ed25519 {Convert.ToBase64String(key)}";

    [Fact]
    public void An_unchanged_file_is_parsed_once()
    {
        var path = NewFile(Line("web1", KeyA));

        Assert.Same(KnownHosts.LoadCached(path), KnownHosts.LoadCached(path));
    }

    [Fact]
    public void A_line_appended_later_is_seen_even_with_the_old_modification_time()
    {
        var path = NewFile(Line("web1", KeyA));
        var before = KnownHosts.LoadCached(path);
        Assert.Equal(HostKeyVerdict.Unknown, before.Check("web2", 22, "ssh-ed25519", KeyB).Verdict);
        var mtime = File.GetLastWriteTimeUtc(path);

        KnownHosts.Append(path, "web2", 22, "ssh-ed25519", KeyB); // what -AcceptNewHostKey does
        File.SetLastWriteTimeUtc(path, mtime); // the size alone must be enough

        Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.LoadCached(path).Check("web2", 22, "ssh-ed25519", KeyB).Verdict);
    }

    [Fact]
    public void A_rewrite_of_the_same_size_is_seen_by_its_modification_time()
    {
        var path = NewFile(Line("web1", KeyA));
        Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.LoadCached(path).Check("web1", 22, "ssh-ed25519", KeyA).Verdict);

        File.WriteAllLines(path, [Line("web1", KeyB)]); // ssh-keygen -R and a new key: same length
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));

        Assert.Equal(HostKeyVerdict.Changed, KnownHosts.LoadCached(path).Check("web1", 22, "ssh-ed25519", KeyA).Verdict);
    }

    [Fact]
    public void Through_a_symlink_the_target_file_is_what_counts()
    {
        var target = NewFile(Line("web1", KeyA));
        var link = Path.Combine(directory, "known_hosts_link");
        File.CreateSymbolicLink(link, target);
        Assert.Equal(HostKeyVerdict.Unknown, KnownHosts.LoadCached(link).Check("web2", 22, "ssh-ed25519", KeyB).Verdict);

        File.AppendAllLines(target, [Line("web2", KeyB)]); // ssh appending to the real file

        Assert.Equal(HostKeyVerdict.Trusted, KnownHosts.LoadCached(link).Check("web2", 22, "ssh-ed25519", KeyB).Verdict);
    }

    [Fact]
    public void A_missing_file_knows_no_host_and_a_later_file_is_read()
    {
        var path = Path.Combine(directory, "not_yet");
        Assert.Empty(KnownHosts.LoadCached(path).Entries);

        File.WriteAllLines(path, [Line("web1", KeyA)]);

        Assert.Single(KnownHosts.LoadCached(path).Entries);
    }
}
