using KvmTime.Health;
using Xunit;

namespace KvmTime.Tests.Health;

public class FixCommandTests
{
    [Theory]
    [InlineData("g1", "g1")]
    [InlineData("10.0.0.5:2222", "10.0.0.5:2222")]
    [InlineData("/home/ops/.ssh/id_ed25519", "/home/ops/.ssh/id_ed25519")]
    [InlineData("my vm", "'my vm'")]
    [InlineData("o'brien", "'o''brien'")]
    [InlineData("$(Remove-Item x)", "'$(Remove-Item x)'")]
    [InlineData("-Force", "'-Force'")]
    public void Values_are_quoted_only_when_powershell_would_read_them_otherwise(string value, string expected) =>
        Assert.Equal(expected, FixCommand.Quote(value));

    [Fact]
    public void The_local_machine_gets_no_target_parameters() =>
        Assert.Equal("Set-GuestTimeSync -Preset Vm", new FixCommand(string.Empty).For("Set-GuestTimeSync", ("Preset", "Vm")));

    [Fact]
    public void A_domain_name_with_a_space_is_quoted() =>
        Assert.Equal("Set-KvmDomainClock -ComputerName h1 -Domain 'win 1' -Preset Windows", new FixCommand("-ComputerName h1").For("Set-KvmDomainClock", ("Domain", "win 1"), ("Preset", "Windows")));
}
