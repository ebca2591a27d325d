using System.Collections.Concurrent;

namespace KvmTime;

/// <summary>
/// Work that must run on the PowerShell pipeline thread (Write*, ShouldProcess), queued by worker
/// threads and run by the cmdlet while it waits for its targets.
/// </summary>
internal sealed class PipelineQueue : IDisposable
{
    private readonly BlockingCollection<Action> queue = new();

    /// <summary>
    /// Queues work for the pipeline thread; false once the cmdlet has ended (stopped by Ctrl-C), when
    /// there is no pipeline left to write to. Work that outlives a stop (a restore in a finally) logs
    /// into nothing instead of failing on it.
    /// </summary>
    public bool TryPost(Action action)
    {
        try
        {
            queue.Add(action);
            return true;
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Post(Action action) => TryPost(action);

    /// <summary>Runs what is queued now, without waiting.</summary>
    public void RunReady()
    {
        while (queue.TryTake(out var action))
        {
            action();
        }
    }

    /// <summary>Runs queued work, waiting for more, until <paramref name="done"/> says stop.</summary>
    public void RunUntil(Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done())
        {
            queue.Take(cancellationToken)();
        }

        RunReady();
    }

    public void Dispose() => queue.Dispose();
}
