using System.IO.Compression;
using System.Text;
using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Streams a log file on this machine (plain or gzip, UTF-8 or UTF-16) through the candidate filter
/// and the parser, a megabyte at a time: memory stays flat whatever the file's size, and only
/// candidate lines are ever decoded into strings.
/// </summary>
internal static class KernelLogFileReader
{
    /// <summary>The longest line read; no kernel message comes near it.</summary>
    public const int BufferSize = 1 << 20;

    public static void Read(string path, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output, CancellationToken cancellationToken, Action<long>? longLine = null)
    {
        ArgumentNullException.ThrowIfNull(parser);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : TextEncodingSniffer.AsUtf8(file);
        Read(stream, parser, output, cancellationToken, longLine);
    }

    /// <summary>
    /// Reads the stream line by line. The last line counts even without its newline (a pasted
    /// excerpt). A line longer than the buffer is skipped, and <paramref name="longLine"/> hears
    /// its line number.
    /// </summary>
    public static void Read(Stream stream, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output, CancellationToken cancellationToken, Action<long>? longLine = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var buffer = new byte[BufferSize + 1];
        var candidates = new List<(int Start, int Length)>();
        var filled = 0;
        var skippingLongLine = false;
        long lineNumber = 0;
        int read;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            read = stream.Read(buffer, filled, BufferSize - filled);
            filled += read;
            if (read == 0 && filled > 0)
            {
                buffer[filled++] = (byte)'\n';
            }

            var lastNewline = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                // One line fills the whole buffer: drop it up to its newline.
                if (filled == BufferSize && !skippingLongLine)
                {
                    skippingLongLine = true;
                    longLine?.Invoke(lineNumber + 1);
                }

                filled = skippingLongLine ? 0 : filled;
                continue;
            }

            var from = 0;
            if (skippingLongLine)
            {
                from = buffer.AsSpan(0, filled).IndexOf((byte)'\n') + 1;
                lineNumber++;
                skippingLongLine = false;
            }

            var usable = lastNewline + 1;
            var lines = buffer.AsSpan(from, usable - from);
            candidates.Clear();
            ClocksourceLogFilter.FindCandidateLines(lines, candidates);
            var after = 0;
            foreach (var (start, length) in candidates)
            {
                PushLeadIn(buffer, from + after, start - after, parser, output);
                parser.Push(Encoding.UTF8.GetString(buffer, from + start, length), output);
                after = start + length + 1;
            }

            PushLeadIn(buffer, from + after, lines.Length - after, parser, output);

            lineNumber += lines.Count((byte)'\n');
            Buffer.BlockCopy(buffer, usable, buffer, 0, filled - usable);
            filled -= usable;
        }
        while (read > 0);
    }

    /// <summary>The lines before a source's first candidate line, while the parser wants them.</summary>
    private static void PushLeadIn(byte[] buffer, int start, int length, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output)
    {
        var region = buffer.AsSpan(start, Math.Max(0, length));
        var offset = start;
        while (parser.WantsLeadIn && region.Length > 0)
        {
            var end = region.IndexOf((byte)'\n');
            var line = end < 0 ? region : region[..end];
            parser.Push(Encoding.UTF8.GetString(buffer, offset, line.Length), output);
            var step = end < 0 ? region.Length : end + 1;
            region = region[step..];
            offset += step;
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
