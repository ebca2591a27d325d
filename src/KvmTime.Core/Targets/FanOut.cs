namespace KvmTime.Targets;

/// <summary>The outcome of one target's work: its results, or the exception that stopped it.</summary>
public sealed record FanOutOutcome<T>(string TargetName, T? Result, Exception? Error);

/// <summary>
/// Runs per-target work concurrently, at most <c>throttleLimit</c> at a time, and reports each
/// outcome as it completes. A failing target only produces a failed outcome; the others go on.
/// The callback runs on a worker thread: the PowerShell layer queues it for the pipeline thread.
/// </summary>
public sealed class FanOut<T>(int throttleLimit, Action<FanOutOutcome<T>> onCompleted) : IDisposable
{
    private readonly SemaphoreSlim throttle = new(throttleLimit, throttleLimit);

    public void Start(string targetName, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ = Task.Run(() => RunOneAsync(targetName, work, cancellationToken), CancellationToken.None);
    }

    public void Dispose() => throttle.Dispose();

    private async Task RunOneAsync(string targetName, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        FanOutOutcome<T> outcome;
        try
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                outcome = new FanOutOutcome<T>(targetName, await work(cancellationToken).ConfigureAwait(false), null);
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
}
