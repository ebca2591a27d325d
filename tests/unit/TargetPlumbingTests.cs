using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class TargetPlumbingTests
{
    [Theory]
    [InlineData("web1", "web1", null)]
    [InlineData("web1:2222", "web1", 2222)]
    [InlineData("[::1]:22", "::1", 22)]
    [InlineData("[fe80::1]", "fe80::1", null)]
    [InlineData("fe80::1", "fe80::1", null)]
    public void Host_names_split_into_host_and_port(string value, string host, int? port)
    {
        Assert.Equal((host, port), HostAddress.Parse(value));
    }

    [Theory]
    [InlineData("web1:")]
    [InlineData("web1:70000")]
    [InlineData("web1:22x")]
    public void Bad_ports_are_a_specific_error(string value)
    {
        Assert.Equal("InvalidComputerName", Assert.Throws<KvmTimeException>(() => HostAddress.Parse(value)).ErrorId);
    }

    [Fact]
    public async Task Fan_out_respects_the_throttle_and_isolates_failures()
    {
        var running = 0;
        var peak = 0;
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<FanOutOutcome<int>>();
        using var done = new CountdownEvent(20);
        using var fanOut = new FanOut<int>(4, o => { outcomes.Add(o); done.Signal(); });
        for (var i = 0; i < 20; i++)
        {
            var n = i;
            fanOut.Start($"t{n}", async ct =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(20, ct);
                Interlocked.Decrement(ref running);
                return n == 7 ? throw new InvalidOperationException("boom") : n;
            }, CancellationToken.None);
        }

        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        await Task.Yield();
        Assert.InRange(peak, 1, 4);
        Assert.Equal(19, outcomes.Count(o => o.Error is null));
        Assert.Equal("t7", Assert.Single(outcomes, o => o.Error is not null).TargetName);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
