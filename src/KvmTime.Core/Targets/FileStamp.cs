namespace KvmTime.Targets;

/// <summary>
/// One version of a file, for caches of parsed files: its path, size and modification time (of the
/// final target when the path is a symlink). Appending a line changes the size, rewriting the file
/// changes the time, so a cached parse is never used for content it did not see.
/// </summary>
internal readonly record struct FileStamp(string FullPath, long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>The stamp of the file now, or null when it does not exist.</summary>
    public static FileStamp? Of(string path)
    {
        var fullPath = Path.GetFullPath(path);
        FileSystemInfo info = new FileInfo(fullPath);
        if (info.LinkTarget is not null)
        {
            info = File.ResolveLinkTarget(fullPath, returnFinalTarget: true) ?? info;
        }

        return info is FileInfo { Exists: true } file ? new FileStamp(fullPath, file.Length, file.LastWriteTimeUtc) : null;
    }
}
