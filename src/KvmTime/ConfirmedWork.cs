using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The apply phase of a changing cmdlet: work that ShouldProcess allowed on the pipeline thread runs
/// concurrently (up to the throttle limit), and its results come back to the pipeline thread.
/// </summary>
internal sealed class ConfirmedWork : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly FanOut<IReadOnlyList<object>> fanOut;

    public ConfirmedWork(int throttleLimit) => fanOut = new FanOut<IReadOnlyList<object>>(throttleLimit);

    public void Start(string targetName, Func<CancellationToken, Task<IReadOnlyList<object>>> work) =>
        fanOut.Start(targetName, work, stopping.Token);

    public IEnumerable<FanOutOutcome<IReadOnlyList<object>>> TakeReady() => fanOut.TakeReady();

    public IEnumerable<FanOutOutcome<IReadOnlyList<object>>> TakeAll() => fanOut.TakeAll();

    public bool IsStopping => stopping.IsCancellationRequested;

    public void Stop() => stopping.Cancel();

    public void Dispose()
    {
        fanOut.Dispose();
        stopping.Dispose();
    }
}
