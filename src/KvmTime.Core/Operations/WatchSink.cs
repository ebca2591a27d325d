using KvmTime.Model;
using KvmTime.Sync;

namespace KvmTime.Operations;

/// <summary>
/// Watch-GuestTime's sink over the cmdlet's own callbacks: each correction goes through its
/// confirm-and-apply and is written the moment it is verified; errors go to its error stream.
/// </summary>
internal sealed class WatchSink(Func<TimeSyncPlan, CancellationToken, Task<object?>> confirmAndApply, Action<object> write, Action<Exception, string> writeError) : IWatchSink
{
    public async Task<TimeSyncResult?> CorrectAsync(TimeSyncPlan plan, CancellationToken cancellationToken)
    {
        var result = await confirmAndApply(plan, cancellationToken).ConfigureAwait(false) as TimeSyncResult;
        if (result is not null)
        {
            write(result);
        }

        return result;
    }

    public void Error(Exception error, string item) => writeError(error, item);
}
