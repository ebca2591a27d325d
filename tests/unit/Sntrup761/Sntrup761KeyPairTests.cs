using System.Security.Cryptography;
using KvmTime.Ssh.Sntrup761;
using Org.BouncyCastle.Pqc.Crypto.NtruPrime;
using Org.BouncyCastle.Security;
using Xunit;

namespace KvmTime.Tests.Sntrup761;

/// <summary>
/// KvmTime's sntrup761 against BouncyCastle's (the implementation SSH.NET ships, checked against
/// the NTRU Prime known-answer tests): the same random bytes must give the same public key, and
/// every ciphertext, valid or tampered, the same shared secret.
/// </summary>
public class Sntrup761KeyPairTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_same_random_bytes_give_bouncycastles_public_key_byte_for_byte(int seed)
    {
        var (ours, theirs) = BothKeyPairs(seed);
        Assert.Equal(Sntrup761KeyPair.PublicKeyBytes, ours.PublicKey.Length);
        Assert.Equal(((SNtruPrimePublicKeyParameters)theirs.Public).GetEncoded(), ours.PublicKey);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_ciphertext_bouncycastle_encapsulated_decapsulates_to_its_secret(int seed)
    {
        var (ours, _) = BothKeyPairs(seed);
        var encapsulated = new SNtruPrimeKemGenerator(new StreamRandom(seed + 1000))
            .GenerateEncapsulated(new SNtruPrimePublicKeyParameters(SNtruPrimeParameters.sntrup761, ours.PublicKey));
        Assert.Equal(Sntrup761KeyPair.CiphertextBytes, encapsulated.GetEncapsulation().Length);
        Assert.Equal(encapsulated.GetSecret(), ours.Decapsulate(encapsulated.GetEncapsulation()));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 500)]
    [InlineData(3, 1006)]
    [InlineData(4, 1007)]
    [InlineData(5, 1038)]
    public void A_tampered_ciphertext_gives_bouncycastles_implicit_rejection_secret(int seed, int tamperedByte)
    {
        var (ours, theirs) = BothKeyPairs(seed);
        var encapsulated = new SNtruPrimeKemGenerator(new StreamRandom(seed + 2000))
            .GenerateEncapsulated(new SNtruPrimePublicKeyParameters(SNtruPrimeParameters.sntrup761, ours.PublicKey));
        var ciphertext = encapsulated.GetEncapsulation();
        ciphertext[tamperedByte] ^= 0x10;

        var rejected = ours.Decapsulate(ciphertext);

        Assert.NotEqual(encapsulated.GetSecret(), rejected);
        Assert.Equal(new SNtruPrimeKemExtractor((SNtruPrimePrivateKeyParameters)theirs.Private).ExtractSecret(ciphertext), rejected);
    }

    [Fact]
    public void Random_bytes_as_a_ciphertext_are_rejected_as_bouncycastle_rejects_them()
    {
        var (ours, theirs) = BothKeyPairs(77);
        var extractor = new SNtruPrimeKemExtractor((SNtruPrimePrivateKeyParameters)theirs.Private);
        for (var i = 0; i < 8; i++)
        {
            var noise = RandomNumberGenerator.GetBytes(Sntrup761KeyPair.CiphertextBytes);
            Assert.Equal(extractor.ExtractSecret(noise), ours.Decapsulate(noise));
        }
    }

    [Fact]
    public void System_random_key_pairs_interoperate_with_bouncycastle_encapsulation()
    {
        for (var i = 0; i < 4; i++)
        {
            var ours = Sntrup761KeyPair.Generate();
            var encapsulated = new SNtruPrimeKemGenerator(new SecureRandom())
                .GenerateEncapsulated(new SNtruPrimePublicKeyParameters(SNtruPrimeParameters.sntrup761, ours.PublicKey));
            Assert.Equal(encapsulated.GetSecret(), ours.Decapsulate(encapsulated.GetEncapsulation()));
        }
    }

    [Fact]
    public void A_disposed_key_pair_has_zeroed_its_secret_and_refuses_to_decapsulate()
    {
        var ours = Sntrup761KeyPair.Generate();
        var ciphertext = new SNtruPrimeKemGenerator(new SecureRandom())
            .GenerateEncapsulated(new SNtruPrimePublicKeyParameters(SNtruPrimeParameters.sntrup761, ours.PublicKey)).GetEncapsulation();
        var secrets = new[] { "f", "gInverse", "rho" }
            .Select(name => (Array)typeof(Sntrup761KeyPair).GetField(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(ours)!)
            .ToList();
        Assert.All(secrets, a => Assert.Contains(a.Cast<object>(), v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0));

        ours.Dispose();

        Assert.All(secrets, a => Assert.All(a.Cast<object>(), v => Assert.Equal(0, Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Throws<ObjectDisposedException>(() => ours.Decapsulate(ciphertext));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1038)]
    [InlineData(1040)]
    public void A_ciphertext_of_the_wrong_length_is_refused(int length)
    {
        var ours = Sntrup761KeyPair.Generate();
        Assert.Throws<ArgumentException>(() => ours.Decapsulate(new byte[length]));
    }

    private static (Sntrup761KeyPair Ours, Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair Theirs) BothKeyPairs(int seed)
    {
        var ours = Sntrup761KeyPair.Generate(new StreamRandom(seed).Fill);
        var generator = new SNtruPrimeKeyPairGenerator();
        generator.Init(new SNtruPrimeKeyGenerationParameters(new StreamRandom(seed), SNtruPrimeParameters.sntrup761));
        return (ours, generator.GenerateKeyPair());
    }

    /// <summary>A fixed byte stream (SHA-256 of seed and counter), the same however it is read in pieces.</summary>
    private sealed class StreamRandom(int seed) : SecureRandom
    {
        private readonly Queue<byte> pending = new();
        private long counter;

        public void Fill(Span<byte> buffer)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                if (pending.Count == 0)
                {
                    foreach (var b in SHA256.HashData(BitConverter.GetBytes(((long)seed << 32) ^ counter++)))
                    {
                        pending.Enqueue(b);
                    }
                }

                buffer[i] = pending.Dequeue();
            }
        }

        public override void NextBytes(byte[] buf) => Fill(buf);

        public override void NextBytes(byte[] buf, int off, int len) => Fill(buf.AsSpan(off, len));

        public override void NextBytes(Span<byte> buffer) => Fill(buffer);

        public override int NextInt()
        {
            Span<byte> bytes = stackalloc byte[4];
            Fill(bytes);
            return BitConverter.ToInt32(bytes);
        }
    }
}
