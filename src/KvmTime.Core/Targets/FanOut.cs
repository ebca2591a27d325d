using System.Collections.Concurrent;

namespace KvmTime.Targets;

/// <summary>The outcome of one target's work: its results, or the exception that stopped it.</summary>
public sealed record FanOutOutcome<T>(string TargetName, T? Result, Exception? Error);

/// <summary>
/// Runs per-target work concurrently, at most <c>throttle</c> at a time, and hands the outcomes
/// back in completion order to one consumer thread (the PowerShell pipeline thread, which alone
/// may call Write*). A failing target only produces a failed outcome; the others go on.
/// </summary>
public sealed class FanOut<T> : IDisposable
{
    private readonly SemaphoreSlim throttle;
    private readonly BlockingCollection<FanOutOutcome<T>> outcomes = new();
    private int pending;

    public FanOut(int throttleLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throttleLimit, 1);
        throttle = new SemaphoreSlim(throttleLimit, throttleLimit);
    }

    /// <summary>How many targets were started in all.</summary>
    public int Started { get; private set; }

    /// <summary>How many outcomes the consumer has taken.</summary>
    public int Completed { get; private set; }

    public void Start(string targetName, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        Interlocked.Increment(ref pending);
        Started++;
        _ = Task.Run(() => RunOneAsync(targetName, work, cancellationToken), CancellationToken.None);
    }

    /// <summary>The outcomes ready now, without waiting.</summary>
    public IEnumerable<FanOutOutcome<T>> TakeReady()
    {
        while (outcomes.TryTake(out var outcome))
        {
            Completed++;
            yield return outcome;
        }
    }

    /// <summary>Every remaining outcome, waiting for each as it completes.</summary>
    public IEnumerable<FanOutOutcome<T>> TakeAll()
    {
        while (Completed < Started)
        {
            var outcome = outcomes.Take();
            Completed++;
            yield return outcome;
        }
    }

    public void Dispose()
    {
        outcomes.Dispose();
        throttle.Dispose();
    }

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

        Interlocked.Decrement(ref pending);
        outcomes.Add(outcome, CancellationToken.None);
    }
}
