using KvmTime.Model;
using KvmTime.Sync;

namespace KvmTime.Operations;

/// <summary>Where Watch-GuestTime's corrections and errors go: the cmdlet's confirm-and-apply and its error stream.</summary>
internal interface IWatchSink
{
    /// <summary>Asks ShouldProcess for the step, applies and verifies it, and writes its result; returns it (null when declined or shown only).</summary>
    Task<TimeSyncResult?> CorrectAsync(TimeSyncPlan plan, CancellationToken cancellationToken);

    /// <summary>Writes one non-terminating error for one guest; the watch goes on.</summary>
    void Error(Exception error, string item);
}
