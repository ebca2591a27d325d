using System.Text;

namespace KvmTime.Linux.KernelLog;

/// <summary>
/// Logs saved on Windows (PowerShell 5's Out-File, Notepad) are often UTF-16, with or without a
/// byte-order mark. Kernel text is ASCII, so UTF-16 shows as a NUL beside every letter: that
/// pattern, or a BOM, picks the decoding. Everything becomes UTF-8 for the byte filter.
/// </summary>
internal static class TextEncodingSniffer
{
    private const int SampleSize = 512;

    /// <summary>The file as UTF-8 bytes, positioned after any byte-order mark.</summary>
    public static Stream AsUtf8(FileStream file)
    {
        var sample = new byte[SampleSize];
        var n = file.ReadAtLeast(sample, SampleSize, throwOnEndOfStream: false);
        var (encoding, bomLength) = Detect(sample.AsSpan(0, n));
        file.Position = bomLength;
        return encoding is null ? file : Encoding.CreateTranscodingStream(file, encoding, Encoding.UTF8, leaveOpen: false);
    }

    /// <summary>UTF-16 LE or BE (null for UTF-8 or ASCII) and the length of the byte-order mark.</summary>
    internal static (Encoding? Encoding, int BomLength) Detect(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (null, 3);
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (Encoding.Unicode, 2);
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (Encoding.BigEndianUnicode, 2);
        }

        int evenNuls = 0, oddNuls = 0;
        for (var i = 0; i + 1 < sample.Length; i += 2)
        {
            evenNuls += sample[i] == 0 ? 1 : 0;
            oddNuls += sample[i + 1] == 0 ? 1 : 0;
        }

        var pairs = sample.Length / 2;
        return pairs >= 4 && oddNuls * 4 > pairs * 3 && evenNuls * 8 < pairs ? (Encoding.Unicode, 0)
            : pairs >= 4 && evenNuls * 4 > pairs * 3 && oddNuls * 8 < pairs ? (Encoding.BigEndianUnicode, 0)
            : (null, 0);
    }
}
