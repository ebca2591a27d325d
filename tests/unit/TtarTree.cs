namespace KvmTime.Tests;

/// <summary>
/// A recorded sysfs tree in ttar form (Path:/Lines:/content/Mode:, SymlinkTo:), as node_exporter and
/// procfs keep their fixtures: read into absolute /sys paths, or laid out under a temporary root.
/// </summary>
internal static class TtarTree
{
    /// <summary>Files (path to content) and symlinks (path to target), paths absolute from /sys.</summary>
    public static (Dictionary<string, string> Files, Dictionary<string, string> Links) Read(string text)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("Path: ", StringComparison.Ordinal))
            {
                continue;
            }

            var path = "/" + lines[i]["Path: ".Length..].Trim();
            path = path.StartsWith("/fixtures/", StringComparison.Ordinal) ? path["/fixtures".Length..] : path;
            if (lines[i + 1].StartsWith("SymlinkTo: ", StringComparison.Ordinal))
            {
                links[path] = lines[i + 1]["SymlinkTo: ".Length..].Trim();
            }
            else if (lines[i + 1].StartsWith("Lines: ", StringComparison.Ordinal))
            {
                var count = int.Parse(lines[i + 1]["Lines: ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                files[path] = string.Join('\n', lines.Skip(i + 2).Take(count));
            }
        }

        return (files, links);
    }

    /// <summary>Writes the tree's files (each ending in a newline, as sysfs prints them) and symlinks under <paramref name="root"/>.</summary>
    public static void Materialize(string text, string root)
    {
        var (files, links) = Read(text);
        foreach (var (path, content) in files)
        {
            var full = root + path;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // ttar marks a file without a final newline with "EOF" glued to its last line.
            File.WriteAllText(full, content.EndsWith("EOF", StringComparison.Ordinal) ? content[..^3] : content + "\n");
        }

        foreach (var (path, target) in links)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(root + path)!);
            File.CreateSymbolicLink(root + path, target);
        }
    }
}
