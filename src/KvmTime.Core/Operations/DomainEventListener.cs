using KvmTime.Host;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Listens to a KVM host's libvirt domain events with back-to-back long polls
/// (<see cref="VirshEventCommands"/>) until cancelled. An event that arrives in the moment between
/// two polls is missed; the interval poll of Watch-GuestTime is the net for it.
/// </summary>
internal sealed class DomainEventListener(ITarget host, string uri, int pollSeconds)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public async Task RunAsync(Action<DomainEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var failing = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            KvmTimeException? failure;
            try
            {
                var result = await host.RunShellAsync(VirshEventCommands.NextEvents(uri, pollSeconds), null, cancellationToken).ConfigureAwait(false);
                failure = result.ExitCode == 0 ? null : VirshFailures.Classify(result.StandardOutput + result.StandardError, result.ExitCode, host.ComputerName, "(events)");
                foreach (var domainEvent in DomainEventParser.ParseAll(result.StandardOutput))
                {
                    onEvent(domainEvent);
                }
            }
            catch (KvmTimeException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e;
            }

            if (failure is null)
            {
                failing = false;
                continue;
            }

            // One warning per outage, not one per retry.
            if (!failing)
            {
                TargetLog.Warning(host.ComputerName, $"listening for libvirt events failed ({failure.ErrorId}: {failure.Message}); the -Interval poll goes on, and listening is retried every {RetryDelay.TotalSeconds:0} s.");
                failing = true;
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }
}
