using KvmTime.Linux;
using Xunit;

namespace KvmTime.Tests;

public class CpuInfoTests
{
    [Theory]
    [InlineData("cpuinfo/intel-xeon-host.txt", "GenuineIntel", true)]
    [InlineData("cpuinfo/amd-epyc-host.txt", "AuthenticAMD", true)]
    [InlineData("cpuinfo/build-machine-amd-epyc-kvm-guest.txt", "AuthenticAMD", true)]
    [InlineData("cpuinfo/qemu64-guest-no-invtsc.txt", "AuthenticAMD", false)]
    public void Parses_vendor_and_invariant_flags(string sample, string vendor, bool invariant)
    {
        var cpu = CpuInfo.Parse(SampleFiles.Read(sample))!;

        Assert.Equal(vendor, cpu.Vendor);
        Assert.Equal(invariant, cpu.Has("constant_tsc") && cpu.Has("nonstop_tsc"));
        Assert.Contains("tsc", cpu.Flags);
    }

    [Fact]
    public void Reads_only_the_first_processor_block()
    {
        var cpu = CpuInfo.Parse(SampleFiles.Read("cpuinfo/intel-xeon-host.txt"))!;

        Assert.Contains("tsc_adjust", cpu.Flags);
        Assert.DoesNotContain("should-not-be-read", cpu.Flags);
        Assert.Equal("Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", cpu.ModelName);
    }

    [Fact]
    public void Text_without_flags_is_not_a_cpu()
    {
        Assert.Null(CpuInfo.Parse("processor\t: 0\nvendor_id\t: GenuineIntel\n"));
        Assert.Null(CpuInfo.Parse(string.Empty));
    }
}
