using System.Numerics;
using System.Runtime.CompilerServices;

namespace KvmTime.Ssh.Sntrup761;

/// <summary>
/// Polynomial arithmetic of Streamlined NTRU Prime sntrup761: the rings R/q = Z/q[x]/(x^p - x - 1)
/// and R/3, p = 761, q = 4591. Every step on secret values runs the same instructions whatever the
/// values are (masks instead of branches, no division), as the NTRU Prime reference does; the
/// whole-polynomial steps run on <see cref="Vector{T}"/> lanes, which is where the speed comes from.
/// The loops are compiled optimized at once: a new process's first key exchanges would otherwise
/// run them as unoptimized tier-0 code, ten times slower.
/// </summary>
internal static class Sntrup761Ring
{
    public const int P = 761;
    public const int Q = 4591;
    public const int W = 286;
    public const int HalfQ = (Q - 1) / 2;

    /// <summary>Length of every polynomial buffer: p + 1 rounded up to whole vectors (768 = 48 x 16 lanes).</summary>
    public const int Padded = 768;

    // floor(2^32 / q) and floor(2^32 / 3): x * m >> 32 is floor(x / d) or one off, for any int.
    private const long QuotientQ = 935518;
    private const long Quotient3 = 1431655765;
    private static readonly Vector<float> InverseQ = new(1f / Q);
    private static readonly int ReciprocalOf3 = ReciprocalQ(3);

    /// <summary>x mod q, centered in [-(q-1)/2, (q-1)/2].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FreezeQ(int x)
    {
        var r = x - ((int)((x * QuotientQ) >> 32) * Q); // in (-q, 2q)
        r += Q & (r >> 31);
        r -= Q & ~((r - Q) >> 31);
        return r - (Q & ((HalfQ - r) >> 31));
    }

    /// <summary>x mod 3, centered in {-1, 0, 1}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Freeze3(int x)
    {
        var r = x - ((int)((x * Quotient3) >> 32) * 3); // in (-3, 6)
        r += 3 & (r >> 31);
        r -= 3 & ~((r - 3) >> 31);
        return r - (3 & ((1 - r) >> 31));
    }

    /// <summary>Lane-wise x mod q, centered, for |x| below 2^24 (exact as a float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> FreezeQ(Vector<int> x)
    {
        // The float quotient is truncated and may be one off: the remainder is then within (-2q, 2q),
        // and two centering passes bring every lane into range.
        var r = x - (Vector.ConvertToInt32(Vector.ConvertToSingle(x) * InverseQ) * new Vector<int>(Q));
        return CenterQ(CenterQ(r));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> CenterQ(Vector<int> r)
    {
        var q = new Vector<int>(Q);
        r += q & Vector.LessThan(r, new Vector<int>(-HalfQ));
        return r - (q & Vector.GreaterThan(r, new Vector<int>(HalfQ)));
    }

    /// <summary>1/a in Z/q by a^(q-2), a fixed sequence of squarings and multiplications.</summary>
    public static int ReciprocalQ(int a)
    {
        var result = 1;
        var power = FreezeQ(a);
        for (var exponent = Q - 2; exponent > 0; exponent >>= 1)
        {
            var bit = -(exponent & 1); // the exponent is public: this mask is not secret
            result = (bit & FreezeQ(result * power)) | (~bit & result);
            power = FreezeQ(power * power);
        }

        return result;
    }

    /// <summary>-1 if x is nonzero, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NonzeroMask(int x) => -(int)(((uint)x | (uint)-x) >> 31);

    /// <summary>
    /// f times a small polynomial s (coefficients -1, 0, 1) in Z[x]/(x^p - x - 1), before any
    /// reduction: the caller freezes each coefficient mod q or mod 3. |f_i| &lt;= (q-1)/2 keeps every
    /// result below 3 p (q-1)/2 &lt; 2^23.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] MultiplyUnreduced(ReadOnlySpan<int> f, ReadOnlySpan<int> s)
    {
        var lanes = Vector<int>.Count;
        var fPadded = Pad(f);
        var product = new int[2 * Padded];
        for (var j = 0; j < P; j++)
        {
            var coefficient = new Vector<int>(s[j]);
            for (var k = 0; k < Padded; k += lanes)
            {
                var sum = new Vector<int>(product, j + k) + (new Vector<int>(fPadded, k) * coefficient);
                sum.CopyTo(product, j + k);
            }
        }

        // x^i = x^(i-p) (x + 1) for i >= p.
        for (var i = (2 * P) - 2; i >= P; i--)
        {
            product[i - P] += product[i];
            product[i - P + 1] += product[i];
        }

        return product[..P];
    }

    /// <summary>f times a small polynomial in R/q.</summary>
    public static int[] MultiplyQ(ReadOnlySpan<int> f, ReadOnlySpan<int> s)
    {
        var product = MultiplyUnreduced(f, s);
        for (var i = 0; i < P; i++)
        {
            product[i] = FreezeQ(product[i]);
        }

        return product;
    }

    /// <summary>The product of two small polynomials in R/3.</summary>
    public static int[] Multiply3(ReadOnlySpan<int> f, ReadOnlySpan<int> s)
    {
        var product = MultiplyUnreduced(f, s);
        for (var i = 0; i < P; i++)
        {
            product[i] = Freeze3(product[i]);
        }

        return product;
    }

    /// <summary>
    /// 1/s in R/3 for a small s, by constant-time division steps (Bernstein and Yang) on the
    /// reversed polynomials. Returns 0 when s is invertible, else -1 (the result is then garbage).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Reciprocal3(ReadOnlySpan<int> s, Span<int> result)
    {
        var (f, g, v, r) = StartDivisionSteps(s);
        r[0] = 1;
        var delta = 1;
        var lanes = Vector<int>.Count;
        for (var step = 0; step < (2 * P) - 1; step++)
        {
            ShiftUp(v);
            var sign = -g[0] * f[0];
            delta = SwapIfDue(f, g, v, r, delta);
            var signs = new Vector<int>(sign);
            for (var k = 0; k < Padded; k += lanes)
            {
                var fk = new Vector<int>(f, k);
                var vk = new Vector<int>(v, k);
                Small3(new Vector<int>(g, k) + (signs * fk)).CopyTo(g, k);
                Small3(new Vector<int>(r, k) + (signs * vk)).CopyTo(r, k);
            }

            ShiftDown(g);
        }

        var scale = f[0];
        for (var i = 0; i < P; i++)
        {
            result[i] = scale * v[P - 1 - i];
        }

        return NonzeroMask(delta);
    }

    /// <summary>1/(3 s) in R/q for a small s (always invertible for sntrup761's short f). Returns 0 on success, else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Reciprocal3Q(ReadOnlySpan<int> s, Span<int> result)
    {
        var (f, g, v, r) = StartDivisionSteps(s);
        r[0] = ReciprocalOf3;
        var delta = 1;
        var lanes = Vector<int>.Count;
        for (var step = 0; step < (2 * P) - 1; step++)
        {
            ShiftUp(v);
            delta = SwapIfDue(f, g, v, r, delta);
            var f0 = new Vector<int>(f[0]);
            var g0 = new Vector<int>(g[0]);
            for (var k = 0; k < Padded; k += lanes)
            {
                var fk = new Vector<int>(f, k);
                var vk = new Vector<int>(v, k);
                FreezeQ((f0 * new Vector<int>(g, k)) - (g0 * fk)).CopyTo(g, k);
                FreezeQ((f0 * new Vector<int>(r, k)) - (g0 * vk)).CopyTo(r, k);
            }

            ShiftDown(g);
        }

        var scale = ReciprocalQ(f[0]);
        for (var i = 0; i < P; i++)
        {
            result[i] = FreezeQ(scale * v[P - 1 - i]);
        }

        return NonzeroMask(delta);
    }

    // f = x^p - x - 1 and g = s, both reversed; v = 0; the caller sets r.
    private static (int[] F, int[] G, int[] V, int[] R) StartDivisionSteps(ReadOnlySpan<int> s)
    {
        var f = new int[Padded];
        var g = new int[Padded];
        f[0] = 1;
        f[P - 1] = -1;
        f[P] = -1;
        for (var i = 0; i < P; i++)
        {
            g[P - 1 - i] = s[i];
        }

        return (f, g, new int[Padded], new int[Padded]);
    }

    // Swaps (f, g) and (v, r) when delta > 0 and g_0 != 0, without a branch; returns the next delta.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SwapIfDue(int[] f, int[] g, int[] v, int[] r, int delta)
    {
        var swap = (-delta >> 31) & NonzeroMask(g[0]);
        var mask = new Vector<int>(swap);
        for (var k = 0; k < Padded; k += Vector<int>.Count)
        {
            SwapMasked(f, g, k, mask);
            SwapMasked(v, r, k, mask);
        }

        delta ^= swap & (delta ^ -delta);
        return delta + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapMasked(int[] a, int[] b, int k, Vector<int> mask)
    {
        var ak = new Vector<int>(a, k);
        var bk = new Vector<int>(b, k);
        var t = (ak ^ bk) & mask;
        (ak ^ t).CopyTo(a, k);
        (bk ^ t).CopyTo(b, k);
    }

    // x in [-2, 2] to {-1, 0, 1}.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Small3(Vector<int> x)
    {
        var three = new Vector<int>(3);
        x += three & Vector.LessThan(x, new Vector<int>(-1));
        return x - (three & Vector.GreaterThan(x, Vector<int>.One));
    }

    private static void ShiftUp(int[] v)
    {
        v.AsSpan(0, P).CopyTo(v.AsSpan(1, P));
        v[0] = 0;
    }

    private static void ShiftDown(int[] g)
    {
        g.AsSpan(1, P).CopyTo(g.AsSpan(0, P));
        g[P] = 0;
    }

    private static int[] Pad(ReadOnlySpan<int> f)
    {
        var padded = new int[Padded];
        f[..Math.Min(f.Length, P)].CopyTo(padded);
        return padded;
    }
}
