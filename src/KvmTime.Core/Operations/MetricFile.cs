using System.Globalization;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// The .prom file node_exporter's textfile collector reads. It is replaced whole: the text goes to a
/// temporary file in the same directory (a name the collector ignores), is flushed to disk, and is
/// renamed over the file, so a scrape sees the old file or the new one, never part of one.
/// </summary>
internal static class MetricFile
{
    public const string Extension = ".prom";

    // No byte order mark: the collector's parser would take one as part of the first metric name.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Checks a full path before anything is written; returns the file to write (a symlink's final target, so the link stays a link).</summary>
    public static string Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.EndsWith(Extension, StringComparison.Ordinal))
        {
            throw new KvmTimeException(ErrorIds.MetricPathNotProm, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.MetricPathNotProm, path, Extension));
        }

        if (Directory.Exists(path))
        {
            throw new KvmTimeException(ErrorIds.MetricPathIsDirectory, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.MetricPathIsDirectory, path, Path.Combine(path, "kvmtime.prom")));
        }

        RequireDirectory(path, path);
        var file = new FileInfo(path);
        var target = file.LinkTarget is null ? path : file.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        RequireDirectory(target, path);
        return target;
    }

    /// <summary>Replaces the file with the text; an existing file's permission bits are kept (the collector's user must still read it).</summary>
    public static void Write(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = File.Exists(path) ? File.GetUnixFileMode(path) : DefaultMode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Utf8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteIfPossible(temporary);
            throw new KvmTimeException(ErrorIds.MetricFileWriteFailed, e is UnauthorizedAccessException ? FailureKind.PermissionDenied : FailureKind.ResourceUnavailable,
                string.Format(CultureInfo.InvariantCulture, Messages.MetricFileWriteFailed, path, e.Message), e);
        }
    }

    private static void RequireDirectory(string file, string asGiven)
    {
        var directory = Path.GetDirectoryName(file);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            throw new KvmTimeException(ErrorIds.MetricDirectoryNotFound, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.MetricDirectoryNotFound, asGiven));
        }
    }

    private static void DeleteIfPossible(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A directory that refused the write may refuse this too; the temporary file then never existed.
        }
    }

    /// <summary>rw-r--r-- (before the umask): node_exporter runs as its own user and must read the file.</summary>
    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
}
