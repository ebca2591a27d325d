using System.Numerics;
using KvmTime.Ssh.Sntrup761;
using Xunit;

namespace KvmTime.Tests.Sntrup761;

/// <summary>The branch-free pieces of sntrup761 against plain arithmetic, exhaustively where the range allows.</summary>
public class Sntrup761RingTests
{
    [Fact]
    public void FreezeQ_is_the_centered_remainder_for_every_product_the_ring_makes()
    {
        for (var x = -(1 << 25); x < 1 << 25; x++)
        {
            var expected = (int)(((((long)x % 4591) + 4591 + 2295) % 4591) - 2295);
            if (Sntrup761Ring.FreezeQ(x) != expected)
            {
                Assert.Fail($"FreezeQ({x}) = {Sntrup761Ring.FreezeQ(x)}, not {expected}");
            }
        }

        foreach (var x in new[] { int.MinValue, int.MinValue + 1, int.MaxValue - 1, int.MaxValue })
        {
            Assert.Equal((int)(((((long)x % 4591) + 4591 + 2295) % 4591) - 2295), Sntrup761Ring.FreezeQ(x));
        }
    }

    [Fact]
    public void FreezeQ_on_vector_lanes_agrees_with_the_scalar_one_below_two_to_the_24()
    {
        var lanes = Vector<int>.Count;
        var values = new int[lanes];
        for (var start = -(1 << 24) + 1; start < (1 << 24) - lanes; start += lanes)
        {
            for (var i = 0; i < lanes; i++)
            {
                values[i] = start + i;
            }

            var frozen = Sntrup761Ring.FreezeQ(new Vector<int>(values));
            for (var i = 0; i < lanes; i++)
            {
                if (frozen[i] != Sntrup761Ring.FreezeQ(values[i]))
                {
                    Assert.Fail($"lane FreezeQ({values[i]}) = {frozen[i]}");
                }
            }
        }
    }

    [Fact]
    public void Freeze3_is_the_centered_remainder()
    {
        foreach (var x in Enumerable.Range(-100000, 200001).Concat([int.MinValue, int.MinValue + 1, int.MaxValue, int.MaxValue - 1]))
        {
            Assert.Equal((int)((((long)x % 3) + 4) % 3) - 1, Sntrup761Ring.Freeze3(x));
        }
    }

    [Fact]
    public void ReciprocalQ_inverts_every_nonzero_element()
    {
        for (var a = -2295; a <= 2295; a++)
        {
            if (a != 0)
            {
                Assert.Equal(1, Sntrup761Ring.FreezeQ(a * Sntrup761Ring.ReciprocalQ(a)));
            }
        }
    }

    [Fact]
    public void A_small_polynomial_times_its_reciprocal_in_R3_is_one()
    {
        var random = new Random(5);
        var s = Enumerable.Range(0, 761).Select(_ => random.Next(-1, 2)).ToArray();
        var inverse = new int[761];
        Assert.Equal(0, Sntrup761Ring.Reciprocal3(s, inverse));
        Assert.Equal([1, .. new int[760]], Sntrup761Ring.Multiply3(s, inverse));
    }

    [Fact]
    public void Zero_has_no_reciprocal_in_R3()
    {
        Assert.Equal(-1, Sntrup761Ring.Reciprocal3(new int[761], new int[761]));
    }

    [Fact]
    public void The_sort_agrees_with_array_sort_on_any_keys()
    {
        var random = new Random(9);
        foreach (var length in new[] { 1, 2, 3, 761, 1024 })
        {
            var keys = Enumerable.Range(0, length).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            keys[0] = uint.MaxValue;
            var expected = keys.Order().ToArray();
            ConstantTimeSort.Sort(keys);
            Assert.Equal(expected, keys);
        }
    }

    [Theory]
    [InlineData(4591, 1158)]
    [InlineData(1531, 1007)]
    public void The_radix_encoding_round_trips_at_sntrup761s_lengths(int modulus, int bytes)
    {
        var random = new Random(modulus);
        for (var i = 0; i < 20; i++)
        {
            var values = Enumerable.Range(0, 761).Select(_ => random.Next(modulus)).ToArray();
            values[i] = modulus - 1;
            var encoded = RadixEncoding.Encode(values, modulus);
            Assert.Equal(bytes, encoded.Length);
            Assert.Equal(values, RadixEncoding.Decode(encoded, 761, modulus));
        }
    }
}
