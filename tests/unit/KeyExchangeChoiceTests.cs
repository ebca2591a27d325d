using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class KeyExchangeChoiceTests
{
    // SSH.NET's own order, as ConnectionInfo lists it.
    private static readonly string[] Library =
    [
        "curve25519-sha256", "sntrup761x25519-sha512", "ecdh-sha2-nistp256", "mlkem768x25519-sha256",
        "diffie-hellman-group14-sha1",
    ];

    [Fact]
    public void By_default_everything_is_offered_with_the_cheapest_post_quantum_hybrid_first()
    {
        Assert.Equal(
            ["mlkem768x25519-sha256", "sntrup761x25519-sha512", "curve25519-sha256", "ecdh-sha2-nistp256", "diffie-hellman-group14-sha1"],
            KeyExchangeChoice.Offer(Library, null));
    }

    [Fact]
    public void A_choice_is_offered_alone_in_the_order_given()
    {
        Assert.Equal(["curve25519-sha256", "mlkem768x25519-sha256"], KeyExchangeChoice.Offer(Library, ["curve25519-sha256", "mlkem768x25519-sha256", "curve25519-sha256"]));
    }

    [Fact]
    public void A_choice_the_library_lacks_fails_naming_it()
    {
        var error = Assert.Throws<KvmTimeException>(() => KeyExchangeChoice.Offer(Library, ["ecdh-sha2-nistp521"]));
        Assert.Contains("ecdh-sha2-nistp521", error.Message);
    }

    [Theory]
    [InlineData("mlkem768x25519-sha256", true)]
    [InlineData("sntrup761x25519-sha512@openssh.com", true)]
    [InlineData("curve25519-sha256", false)]
    public void Post_quantum_methods_are_told_apart(string method, bool postQuantum) =>
        Assert.Equal(postQuantum, KeyExchangeChoice.IsPostQuantum(method));

    [Fact]
    public void No_sha1_method_can_be_chosen() =>
        Assert.DoesNotContain(KeyExchangeChoice.Selectable, m => m.EndsWith("-sha1", StringComparison.Ordinal));
}
