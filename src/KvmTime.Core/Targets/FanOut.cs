namespace KvmTime.Targets;

/// <summary>The outcome of one target's work: its results, or the exception that stopped it.</summary>
internal sealed record FanOutOutcome<T>(string TargetName, T? Result, Exception? Error);

/// <summary>
/// Runs per-target work concurrently, at most <c>throttleLimit</c> at a time, and reports each
/// outcome as it completes. A failing target only produces a failed outcome; the others go on.
/// The callback runs on a worker thread: the PowerShell layer queues it for the pipeline thread.
/// </summary>
internal sealed class FanOut<T>(int throttleLimit, Action<FanOutOutcome<T>> onCompleted) : IDisposable
{
    private readonly SemaphoreSlim throttle = new(throttleLimit, throttleLimit);
    private readonly IDisposable threadFloor = ThreadPoolFloor.Raise(Math.Min(throttleLimit, MaxThreadFloor) + Environment.ProcessorCount);

    // Enough for the largest fan-outs people run; a larger -ThrottleLimit still works, with the pool's slower growth.
    private const int MaxThreadFloor = 512;

    public void Start(string targetName, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ = Task.Run(() => RunOneAsync(targetName, work, cancellationToken), CancellationToken.None);
    }

    public void Dispose()
    {
        threadFloor.Dispose();
        throttle.Dispose();
    }

    private async Task RunOneAsync(string targetName, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        FanOutOutcome<T> outcome;
        // Each target hears a stop on a thread of its own: cancelling runs its continuations (closing
        // channels and connections), and 200 targets must not close one after another on the thread
        // that pressed Ctrl-C.
        using var stop = new CancellationTokenSource();
        using var relay = cancellationToken.UnsafeRegister(static state => ThreadPool.UnsafeQueueUserWorkItem(CancelQuietly, (CancellationTokenSource)state!, preferLocal: false), stop);
        try
        {
            await throttle.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                outcome = new FanOutOutcome<T>(targetName, await work(stop.Token).ConfigureAwait(false), null);
            }
            finally
            {
                throttle.Release();
            }
        }
        catch (Exception e)
        {
            outcome = new FanOutOutcome<T>(targetName, default, e);
        }

        onCompleted(outcome);
    }

    private static void CancelQuietly(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The target finished before the stop reached it.
        }
    }
}
