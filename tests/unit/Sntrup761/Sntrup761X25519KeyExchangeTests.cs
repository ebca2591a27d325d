using KvmTime.Ssh;
using Renci.SshNet;
using Xunit;

namespace KvmTime.Tests.Sntrup761;

public class Sntrup761X25519KeyExchangeTests
{
    [Fact]
    public void The_ssh_net_members_it_needs_are_found_in_the_shipped_ssh_net()
    {
        // If an SSH.NET upgrade renames them, connections silently fall back to SSH.NET's slower
        // sntrup761: this test is what makes that loud.
        Assert.True(SshNetInternals.Available);
    }

    [Fact]
    public void Both_names_of_the_method_get_kvmtimes_implementation_and_the_rest_stay_ssh_nets()
    {
        var connection = new ConnectionInfo("127.0.0.1", "root", new PasswordAuthenticationMethod("root", "unused"));
        var before = connection.KeyExchangeAlgorithms.Keys.ToList();

        Sntrup761X25519KeyExchange.Install(connection);

        Assert.Equal(before, connection.KeyExchangeAlgorithms.Keys.ToList());
        Assert.IsType<Sntrup761X25519KeyExchange>(connection.KeyExchangeAlgorithms["sntrup761x25519-sha512"]());
        Assert.IsType<Sntrup761X25519KeyExchange>(connection.KeyExchangeAlgorithms["sntrup761x25519-sha512@openssh.com"]());
        Assert.IsNotType<Sntrup761X25519KeyExchange>(connection.KeyExchangeAlgorithms["curve25519-sha256"]());
    }
}
