using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

[Collection("Process-wide thread pool settings")]
public class ThreadPoolFloorTests
{
    [Fact]
    public void A_fan_out_raises_the_minimum_and_the_last_to_end_puts_the_old_one_back()
    {
        ThreadPool.GetMinThreads(out var workers, out var ports);
        var first = ThreadPoolFloor.Raise(workers + 40);
        var second = ThreadPoolFloor.Raise(workers + 20);
        Assert.Equal(workers + 40, Minimum());

        first.Dispose();
        first.Dispose(); // twice is once
        Assert.Equal(workers + 40, Minimum());

        second.Dispose();
        ThreadPool.GetMinThreads(out var after, out var afterPorts);
        Assert.Equal((workers, ports), (after, afterPorts));
    }

    [Fact]
    public void A_lower_floor_than_the_current_minimum_changes_nothing()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        using (ThreadPoolFloor.Raise(1))
        {
            Assert.Equal(workers, Minimum());
        }

        Assert.Equal(workers, Minimum());
    }

    private static int Minimum()
    {
        ThreadPool.GetMinThreads(out var workers, out _);
        return workers;
    }
}

/// <summary>Runs alone: other tests' fan-outs raise the same process-wide minimum.</summary>
[CollectionDefinition("Process-wide thread pool settings", DisableParallelization = true)]
public class ProcessWideThreadPoolSettings;
