using KvmTime.Linux.TimeSyncConfig;
using Xunit;

namespace KvmTime.Tests.TimeSyncConfig;

public sealed class LeapSmearingServicesTests
{
    [Theory]
    [InlineData("time.google.com", "Google")]
    [InlineData("TIME3.google.com.", "Google")]
    [InlineData("time.aws.com", "Amazon")]
    [InlineData("fd00:ec2::123", "Amazon")]
    [InlineData("time.facebook.com", "Meta")]
    [InlineData("pool.ntp.org", null)]
    [InlineData("time.cloudflare.com", null)]
    public void Known_operators_are_recognised(string host, string? op) => Assert.Equal(op, LeapSmearingServices.OperatorOf(host));

    [Fact]
    public void One_operator_alone_or_only_unsmeared_sources_are_fine()
    {
        Assert.Null(LeapSmearingServices.MixingProblem(["time1.google.com", "time2.google.com"]));
        Assert.Null(LeapSmearingServices.MixingProblem(["pool.ntp.org", "PHC /dev/ptp_kvm"]));
        Assert.NotNull(LeapSmearingServices.MixingProblem(["time.facebook.com", "time.google.com"]));
    }
}
