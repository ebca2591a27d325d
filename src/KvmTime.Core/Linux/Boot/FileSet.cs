using System.Text;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Reads every file matching shell globs in one command: each file's exact bytes between two lines
/// that carry a nonce, so file content cannot forge a frame.
/// </summary>
internal static class FileSet
{
    public static string Command(string globs, string nonce) =>
        $"for f in {globs}; do [ -f \"$f\" ] || continue; printf '@@FILE:{nonce}:%s\\n' \"$f\"; cat \"$f\"; printf '\\n@@EOF:{nonce}\\n'; done; exit 0";

    public static IReadOnlyList<BootFile> Parse(string output, string nonce)
    {
        var files = new List<BootFile>();
        var begin = $"@@FILE:{nonce}:";
        var end = $"@@EOF:{nonce}";
        string? path = null;
        var body = new StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            if (path is null && line.StartsWith(begin, StringComparison.Ordinal))
            {
                path = line[begin.Length..];
                body.Clear();
            }
            else if (path is not null && line == end)
            {
                // The command adds one newline before the end frame; drop it so the content is exact.
                files.Add(new BootFile(path, body.Length > 0 ? body.ToString(0, body.Length - 1) : string.Empty));
                path = null;
            }
            else if (path is not null)
            {
                body.Append(line).Append('\n');
            }
        }

        return files.DistinctBy(f => f.Path, StringComparer.Ordinal).ToList();
    }
}
