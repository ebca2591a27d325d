namespace KvmTime.Tests;

/// <summary>Real captured outputs and samples written from the kernel's formats, copied next to the test assembly.</summary>
internal static class SampleFiles
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", relativePath));

    /// <summary>A text sample without its provenance header: the leading '#' lines and the blank line after them.</summary>
    public static string ReadBody(string relativePath)
    {
        var lines = Read(relativePath).Split('\n');
        var start = lines.TakeWhile(l => l.StartsWith('#')).Count();
        if (start > 0 && start < lines.Length && lines[start].Trim().Length == 0)
        {
            start++;
        }

        return string.Join('\n', lines[start..]);
    }

    /// <summary>A real file without its provenance header: the leading "#|" lines, which the real files never start with.</summary>
    public static string ReadVerbatim(string relativePath)
    {
        var text = Read(relativePath);
        var start = 0;
        while (text.AsSpan(start).StartsWith("#|", StringComparison.Ordinal))
        {
            start = text.IndexOf('\n', start) + 1;
        }

        return text[start..];
    }
}
