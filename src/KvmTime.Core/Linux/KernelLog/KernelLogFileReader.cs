using System.IO.Compression;
using System.Text;
using KvmTime.Model;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Streams a log file on this machine (plain or gzip) through the candidate filter and the parser,
/// a megabyte at a time: memory stays flat whatever the file's size, and only candidate lines are
/// ever decoded into strings.
/// </summary>
public static class KernelLogFileReader
{
    private const int BufferSize = 1 << 20;

    public static void Read(string path, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parser);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        Read(stream, parser, output, cancellationToken);
    }

    /// <summary>
    /// Reads whole lines only. A last line without its newline is still being written (or was cut
    /// off), so it is left out rather than read as a shorter, wrong message; so is any line longer
    /// than the buffer, which no kernel message is.
    /// </summary>
    public static void Read(Stream stream, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var buffer = new byte[BufferSize];
        var candidates = new List<(int Start, int Length)>();
        var filled = 0;
        var skippingLongLine = false;
        int read;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var lastNewline = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                // One line fills the whole buffer: drop it up to its newline.
                skippingLongLine |= filled == buffer.Length;
                filled = skippingLongLine ? 0 : filled;
                continue;
            }

            var from = 0;
            if (skippingLongLine)
            {
                from = buffer.AsSpan(0, filled).IndexOf((byte)'\n') + 1;
                skippingLongLine = false;
            }

            var usable = lastNewline + 1;
            candidates.Clear();
            ClocksourceLogFilter.FindCandidateLines(buffer.AsSpan(from, usable - from), candidates);
            foreach (var (start, length) in candidates)
            {
                parser.Push(Encoding.UTF8.GetString(buffer, from + start, length), output);
            }

            Buffer.BlockCopy(buffer, usable, buffer, 0, filled - usable);
            filled -= usable;
        }
        while (read > 0);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
