namespace KvmTime.Ssh.Sntrup761;

/// <summary>
/// NTRU Prime's packing of a list of integers 0 &lt;= r_i &lt; m_i (m_i &lt; 2^14) into bytes: pairs are
/// merged into one number below m_i m_(i+1), whole low bytes are written out while the merged bound
/// is at least 2^14, and the halved list is packed the same way until one number is left.
/// Encoding uses only additions, multiplications and shifts, so its time does not depend on secret
/// values; decoding divides, and is used on the server's public ciphertext only.
/// </summary>
internal static class RadixEncoding
{
    private const int Limit = 16384;

    public static byte[] Encode(ReadOnlySpan<int> values, int modulus)
    {
        var output = new List<byte>(values.Length * 2);
        var moduli = new int[values.Length];
        Array.Fill(moduli, modulus);
        Encode(output, values.ToArray(), moduli);
        return [.. output];
    }

    public static int[] Decode(ReadOnlySpan<byte> bytes, int count, int modulus)
    {
        var moduli = new int[count];
        Array.Fill(moduli, modulus);
        var values = new int[count];
        var position = 0;
        Decode(bytes, ref position, moduli, values);
        return values;
    }

    private static void Encode(List<byte> output, int[] values, int[] moduli)
    {
        if (values.Length == 1)
        {
            var (value, bound) = (values[0], moduli[0]);
            while (bound > 1)
            {
                output.Add((byte)value);
                value >>= 8;
                bound = (bound + 255) >> 8;
            }

            return;
        }

        var half = (values.Length + 1) / 2;
        var mergedValues = new int[half];
        var mergedModuli = new int[half];
        for (var i = 0; i + 1 < values.Length; i += 2)
        {
            var value = (uint)(values[i] + (values[i + 1] * moduli[i]));
            var bound = (uint)(moduli[i] * moduli[i + 1]);
            while (bound >= Limit)
            {
                output.Add((byte)value);
                value >>= 8;
                bound = (bound + 255) >> 8;
            }

            (mergedValues[i / 2], mergedModuli[i / 2]) = ((int)value, (int)bound);
        }

        if (values.Length % 2 == 1)
        {
            (mergedValues[half - 1], mergedModuli[half - 1]) = (values[^1], moduli[^1]);
        }

        Encode(output, mergedValues, mergedModuli);
    }

    // Reads the low bytes of each pair first, then the halved list; a malformed input still yields
    // values below their moduli (the caller's re-encoding then differs and the KEM rejects it).
    private static void Decode(ReadOnlySpan<byte> bytes, ref int position, int[] moduli, int[] values)
    {
        if (moduli.Length == 1)
        {
            var bound = moduli[0];
            values[0] = bound switch
            {
                1 => 0,
                <= 256 => Byte(bytes, ref position) % bound,
                _ => (Byte(bytes, ref position) | (Byte(bytes, ref position) << 8)) % bound,
            };
            return;
        }

        var half = (moduli.Length + 1) / 2;
        var mergedModuli = new int[half];
        var lowValue = new uint[half];
        var lowScale = new uint[half];
        for (var i = 0; i + 1 < moduli.Length; i += 2)
        {
            var bound = (uint)(moduli[i] * moduli[i + 1]);
            (lowScale[i / 2], lowValue[i / 2], mergedModuli[i / 2]) = bound switch
            {
                > 256 * (Limit - 1) => (65536u, (uint)(Byte(bytes, ref position) | (Byte(bytes, ref position) << 8)), (int)((((bound + 255) >> 8) + 255) >> 8)),
                >= Limit => (256u, (uint)Byte(bytes, ref position), (int)((bound + 255) >> 8)),
                _ => (1u, 0u, (int)bound),
            };
        }

        if (moduli.Length % 2 == 1)
        {
            mergedModuli[half - 1] = moduli[^1];
        }

        var merged = new int[half];
        Decode(bytes, ref position, mergedModuli, merged);
        for (var i = 0; i + 1 < moduli.Length; i += 2)
        {
            var value = lowValue[i / 2] + (lowScale[i / 2] * (uint)merged[i / 2]);
            values[i] = (int)(value % (uint)moduli[i]);
            values[i + 1] = (int)(value / (uint)moduli[i] % (uint)moduli[i + 1]);
        }

        if (moduli.Length % 2 == 1)
        {
            values[^1] = merged[^1];
        }
    }

    // The caller passes exactly the encoded length, so reading past it would be a bug, and throws.
    private static int Byte(ReadOnlySpan<byte> bytes, ref int position) => bytes[position++];
}
