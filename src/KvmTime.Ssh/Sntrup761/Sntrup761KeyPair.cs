using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static KvmTime.Ssh.Sntrup761.Sntrup761Ring;

namespace KvmTime.Ssh.Sntrup761;

/// <summary>
/// One sntrup761 key pair, the client's side of the KEM as SSH uses it: key generation and
/// decapsulation (Streamlined NTRU Prime with implicit rejection). Byte for byte the NTRU Prime
/// KEM: the tests hold it against BouncyCastle's implementation and a real OpenSSH server.
/// Disposing it zeroes the secret key, which a key exchange does as soon as it has its secret.
/// </summary>
internal sealed class Sntrup761KeyPair : IDisposable
{
    public const int PublicKeyBytes = 1158;
    public const int CiphertextBytes = RoundedBytes + ConfirmBytes;
    public const int SharedSecretBytes = 32;
    private const int RoundedBytes = 1007;
    private const int ConfirmBytes = 32;
    private const int SmallBytes = (P + 3) / 4;
    private const int RoundedModulus = (Q + 2) / 3;

    private readonly int[] f;
    private readonly int[] gInverse;
    private readonly int[] h;
    private readonly byte[] rho;
    private readonly byte[] publicKeyHash;
    private bool disposed;

    private Sntrup761KeyPair(int[] f, int[] gInverse, int[] h, byte[] rho)
    {
        this.f = f;
        this.gInverse = gInverse;
        this.h = h;
        this.rho = rho;
        PublicKey = RadixEncoding.Encode(Offset(h, HalfQ), Q);
        publicKeyHash = HashPrefix(4, PublicKey);
    }

    public byte[] PublicKey { get; }

    /// <summary>A new key pair from the system's cryptographic random numbers.</summary>
    public static Sntrup761KeyPair Generate() => Generate(RandomNumberGenerator.Fill);

    /// <summary>A key pair from <paramref name="random"/>, read in the reference's order (tests pass a fixed stream).</summary>
    public static Sntrup761KeyPair Generate(RandomFill random)
    {
        var g = new int[P];
        var gInverse = new int[P];
        do
        {
            SmallRandom(random, g);
        }
        while (Reciprocal3(g, gInverse) != 0);

        var f = ShortRandom(random);
        var fInverse = new int[P];
        _ = Reciprocal3Q(f, fInverse); // a short f is always invertible mod q
        var h = MultiplyQ(fInverse, g);
        var rho = new byte[SmallBytes];
        random(rho);
        return new Sntrup761KeyPair(f, gInverse, h, rho);
    }

    /// <summary>
    /// The 32-byte shared secret of <paramref name="ciphertext"/>. A ciphertext that does not
    /// re-encrypt to itself yields a pseudo-random secret derived from rho (implicit rejection),
    /// chosen with masks, so the time taken does not say which.
    /// </summary>
    public byte[] Decapsulate(byte[] ciphertext)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (ciphertext.Length != CiphertextBytes)
        {
            throw new ArgumentException($"An sntrup761 ciphertext has {CiphertextBytes} bytes, not {ciphertext.Length}.", nameof(ciphertext));
        }

        var c = RadixEncoding.Decode(ciphertext.AsSpan(0, RoundedBytes), P, RoundedModulus);
        for (var i = 0; i < P; i++)
        {
            c[i] = (c[i] * 3) - HalfQ;
        }

        var r = Decrypt(c);
        var rEncoded = EncodeSmall(r);
        var again = Hide(r, rEncoded);
        var mask = DifferenceMask(ciphertext, again);
        for (var i = 0; i < SmallBytes; i++)
        {
            rEncoded[i] ^= (byte)(mask & (rEncoded[i] ^ rho[i]));
        }

        return HashSession((byte)(1 + mask), rEncoded, ciphertext);
    }

    public void Dispose()
    {
        disposed = true;
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(f.AsSpan()));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(gInverse.AsSpan()));
        CryptographicOperations.ZeroMemory(rho);
    }

    private int[] Decrypt(int[] c)
    {
        var cf = MultiplyQ(c, f);
        var e = new int[P];
        for (var i = 0; i < P; i++)
        {
            e[i] = Freeze3(FreezeQ(3 * cf[i]));
        }

        var ev = Multiply3(e, gInverse);
        var weight = 0;
        foreach (var coefficient in ev)
        {
            weight += coefficient & 1;
        }

        // Not weight w: decrypt to the fixed 1...1 0...0 instead, which fails the re-encryption check.
        var wrong = NonzeroMask(weight - W);
        var r = new int[P];
        for (var i = 0; i < P; i++)
        {
            var fallback = i < W ? 1 : 0;
            r[i] = (ev[i] & ~wrong) | (fallback & wrong);
        }

        return r;
    }

    // The ciphertext r would give: Round(h r), then the confirmation hash.
    private byte[] Hide(int[] r, byte[] rEncoded)
    {
        var hr = MultiplyQ(h, r);
        var rounded = new int[P];
        for (var i = 0; i < P; i++)
        {
            rounded[i] = (((hr[i] - Freeze3(hr[i])) + HalfQ) * 10923) >> 15;
        }

        var ciphertext = new byte[CiphertextBytes];
        RadixEncoding.Encode(rounded, RoundedModulus).CopyTo(ciphertext, 0);
        Hash(2, HashPrefix(3, rEncoded), publicKeyHash).CopyTo(ciphertext, RoundedBytes);
        return ciphertext;
    }

    private static int DifferenceMask(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var difference = 0;
        for (var i = 0; i < a.Length; i++)
        {
            difference |= a[i] ^ b[i];
        }

        return NonzeroMask(difference);
    }

    private static byte[] HashSession(byte prefix, byte[] rEncoded, ReadOnlySpan<byte> ciphertext) =>
        Hash(prefix, HashPrefix(3, rEncoded), ciphertext);

    private static byte[] HashPrefix(byte prefix, ReadOnlySpan<byte> input) => Hash(prefix, input, []);

    // The first 32 bytes of SHA-512(prefix || a || b).
    private static byte[] Hash(byte prefix, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var input = new byte[1 + a.Length + b.Length];
        input[0] = prefix;
        a.CopyTo(input.AsSpan(1));
        b.CopyTo(input.AsSpan(1 + a.Length));
        return SHA512.HashData(input)[..SharedSecretBytes];
    }

    private static byte[] EncodeSmall(int[] r)
    {
        var encoded = new byte[SmallBytes];
        for (var i = 0; i < P / 4; i++)
        {
            encoded[i] = (byte)((r[4 * i] + 1) | ((r[(4 * i) + 1] + 1) << 2) | ((r[(4 * i) + 2] + 1) << 4) | ((r[(4 * i) + 3] + 1) << 6));
        }

        encoded[P / 4] = (byte)(r[P - 1] + 1);
        return encoded;
    }

    private static void SmallRandom(RandomFill random, int[] g)
    {
        var bytes = RandomWords(random, P);
        for (var i = 0; i < P; i++)
        {
            g[i] = (int)(((bytes[i] & 0x3fffffff) * 3) >> 30) - 1;
        }
    }

    // Weight w: w random even keys and p - w odd ones, sorted; the low bits then give the coefficients.
    private static int[] ShortRandom(RandomFill random)
    {
        var keys = RandomWords(random, P);
        for (var i = 0; i < P; i++)
        {
            keys[i] = i < W ? keys[i] & ~1u : (keys[i] & ~3u) | 1;
        }

        ConstantTimeSort.Sort(keys);
        var f = new int[P];
        for (var i = 0; i < P; i++)
        {
            f[i] = (int)(keys[i] & 3) - 1;
        }

        return f;
    }

    private static uint[] RandomWords(RandomFill random, int count)
    {
        var bytes = new byte[4 * count];
        random(bytes);
        var words = new uint[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4 * i));
        }

        return words;
    }

    private static int[] Offset(int[] values, int offset)
    {
        var shifted = new int[P];
        for (var i = 0; i < P; i++)
        {
            shifted[i] = values[i] + offset;
        }

        return shifted;
    }
}

/// <summary>Fills a buffer with random bytes.</summary>
internal delegate void RandomFill(Span<byte> buffer);
