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

    public static void Read(Stream stream, ClocksourceEventParser parser, ICollection<ClocksourceEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parser);
        var buffer = new byte[BufferSize];
        var candidates = new List<(int Start, int Length)>();
        var filled = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = stream.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            var atEnd = read == 0;
            var lastNewline = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
            // Whole lines only; at the end, or when one line fills the buffer, take what there is.
            var usable = atEnd || (lastNewline < 0 && filled == buffer.Length) ? filled : lastNewline + 1;
            if (usable > 0)
            {
                candidates.Clear();
                ClocksourceLogFilter.FindCandidateLines(buffer.AsSpan(0, usable), candidates);
                foreach (var (start, length) in candidates)
                {
                    parser.Push(Encoding.UTF8.GetString(buffer, start, length), output);
                }

                Buffer.BlockCopy(buffer, usable, buffer, 0, filled - usable);
                filled -= usable;
            }

            if (atEnd)
            {
                return;
            }
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
