namespace KvmTime.Targets;

/// <summary>
/// Keeps the thread pool's minimum of worker threads at least as high as a fan-out's concurrency
/// while it runs. SSH.NET waits synchronously, on a pool thread, in each connection's key exchange,
/// login and channel open; beyond its minimum (one thread per core) the pool adds threads only
/// about twice a second, so 64 new connections queued behind each other's waits: an N=64 fan-out
/// on 2 cores took 1.9 s instead of 1.3 s. The first raise records the old minimum, and the last
/// fan-out to end puts it back, so the process is left as it was found.
/// </summary>
internal static class ThreadPoolFloor
{
    private static readonly object Gate = new();
    private static int holders;
    private static int originalWorkers;
    private static int originalCompletionPorts;

    public static IDisposable Raise(int workers)
    {
        lock (Gate)
        {
            ThreadPool.GetMinThreads(out var currentWorkers, out var currentPorts);
            if (holders++ == 0)
            {
                (originalWorkers, originalCompletionPorts) = (currentWorkers, currentPorts);
            }

            if (workers > currentWorkers)
            {
                ThreadPool.SetMinThreads(workers, currentPorts);
            }
        }

        return new Release();
    }

    private sealed class Release : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 1)
            {
                return;
            }

            lock (Gate)
            {
                if (--holders == 0)
                {
                    ThreadPool.SetMinThreads(originalWorkers, originalCompletionPorts);
                }
            }
        }
    }
}
