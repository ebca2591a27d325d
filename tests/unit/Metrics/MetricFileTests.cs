using KvmTime.Operations;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Metrics;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MetricFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kvmtime-metricfile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Writes_utf8_without_a_byte_order_mark_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(directory, "kvmtime.prom");

        MetricFile.Write(path, "kvmtime_x{computer=\"ü\"} 1\n");

        Assert.Equal("kvmtime_x{computer=\"ü\"} 1\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory));
    }

    [Fact]
    public void A_new_file_and_an_existing_one_validate_to_themselves()
    {
        var path = Path.Combine(directory, "kvmtime.prom");

        Assert.Equal(path, MetricFile.Validate(path));
        File.WriteAllText(path, "old\n");
        Assert.Equal(path, MetricFile.Validate(path));
    }

    [Fact]
    public void Replaces_the_file_whole_through_a_rename_and_keeps_its_permissions()
    {
        var path = Path.Combine(directory, "kvmtime.prom");
        File.WriteAllText(path, new string('x', 10_000));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        using var oldReader = File.OpenRead(path);

        MetricFile.Write(path, "short\n");

        Assert.Equal("short\n", File.ReadAllText(path));
        // A reader that had the old file open (a scrape under way) still reads the old file whole: it was renamed over, not rewritten.
        Assert.Equal(new string('x', 10_000), new StreamReader(oldReader).ReadToEnd());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Writes_through_a_symlink_to_its_target_and_the_link_stays_a_link()
    {
        var real = Path.Combine(directory, "real.prom");
        var link = Path.Combine(directory, "link.prom");
        File.WriteAllText(real, "old\n");
        File.CreateSymbolicLink(link, real);

        MetricFile.Write(MetricFile.Validate(link), "new\n");

        Assert.Equal("new\n", File.ReadAllText(real));
        Assert.NotNull(new FileInfo(link).LinkTarget);
    }

    [Theory]
    [InlineData("kvmtime.txt", nameof(ErrorIds.MetricPathNotProm))]
    [InlineData("kvmtime.PROM", nameof(ErrorIds.MetricPathNotProm))]
    [InlineData("missing/kvmtime.prom", nameof(ErrorIds.MetricDirectoryNotFound))]
    [InlineData("dir.prom", nameof(ErrorIds.MetricPathIsDirectory))]
    public void Refuses_a_path_the_collector_would_never_read(string relative, string errorId)
    {
        Directory.CreateDirectory(Path.Combine(directory, "dir.prom"));

        var e = Assert.Throws<KvmTimeException>(() => MetricFile.Validate(Path.Combine(directory, relative)));

        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temporary_file()
    {
        var path = Path.Combine(directory, "kvmtime.prom");
        File.WriteAllText(path, "old\n");
        // A directory standing where the rename must land makes the last step fail, as a full disk or a lost race would.
        var blocked = Path.Combine(directory, "blocked.prom");
        Directory.CreateDirectory(blocked);

        var e = Assert.Throws<KvmTimeException>(() => MetricFile.Write(blocked, "new\n"));

        Assert.Equal(ErrorIds.MetricFileWriteFailed, e.ErrorId);
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(directory));
    }
}
