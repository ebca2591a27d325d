using System.Collections.Concurrent;
using System.Globalization;
using KvmTime.Host;
using KvmTime.Linux;
using KvmTime.Resources;
using KvmTime.Sync;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Watch-GuestTime on one KVM host: checks that the host is synchronized, then until cancelled
/// steps a guest whenever a libvirt event says its clock is likely wrong, and every interval reads
/// each running guest's offset and steps those beyond MaxDrift. One guest is worked on once at a
/// time; different guests concurrently, at most <c>throttle</c> at once.
/// </summary>
internal sealed class GuestTimeWatch(ITarget host, string uri, IReadOnlyCollection<string>? domains, WatchSettings settings, bool force, int eventPollSeconds, int throttle, IWatchSink sink) : IDisposable
{
    private static readonly TimeSpan PausedRetry = TimeSpan.FromMilliseconds(500);

    // A guest just resumed or restored is busy (more so under emulation), so a step can land tens of
    // ms off. An event's step that ends further off than this gets one more look once it has settled.
    private static readonly TimeSpan FollowUpAbove = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FollowUpDelay = TimeSpan.FromSeconds(2);
    private const int EventAttempts = 10;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> perDomain = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> waitingForAgent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> running = new();
    private readonly SemaphoreSlim slots = new(throttle, throttle);
    private volatile bool hostUsable = true;

    /// <summary>Watches until cancelled, or until <see cref="WatchSettings.Duration"/> is over, which is a normal end.</summary>
    public async Task RunForDurationAsync(CancellationToken cancellationToken)
    {
        using var duration = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } limit)
        {
            duration.CancelAfter(limit);
        }

        try
        {
            await RunAsync(duration.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (duration.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // -Duration is over: a normal end.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await HostClockGuard.CheckAsync(host, force, cancellationToken).ConfigureAwait(false);
        // A PowerShell session runs one command at a time, so a long event poll there would hold back
        // every step for its whole length: poll for a second at a time instead.
        var listener = new DomainEventListener(host, uri, host is IPowerShellRunner ? 1 : eventPollSeconds);
        // Both loops run until cancelled; if one of them fails, the other is stopped and the failure ends the watch.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = new[] { listener.RunAsync(e => OnEvent(e, stop.Token), stop.Token), PollAsync(stop.Token) };
        try
        {
            await (await Task.WhenAny(loops).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // The other loop and the corrections still running end with it.
            await Task.WhenAll(loops.Concat(running.Keys)).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        slots.Dispose();
        foreach (var gate in perDomain.Values)
        {
            gate.Dispose();
        }
    }

    private bool Watched(string domain) => domains is null || domains.Contains(domain);

    private void OnEvent(DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        if (!Watched(domainEvent.Domain))
        {
            return;
        }

        TargetLog.Verbose(host.ComputerName, $"domain '{domainEvent.Domain}': {domainEvent.Description}");
        switch (ClockEventRules.React(domainEvent))
        {
            case ClockEventReaction.Correct:
                Track(CorrectAsync(domainEvent.Domain, new SyncTrigger(domainEvent.Description, domainEvent.Time, true), cancellationToken));
                break;
            case ClockEventReaction.AwaitAgent:
                waitingForAgent[domainEvent.Domain] = false;
                break;
            case ClockEventReaction.Forget:
                waitingForAgent.TryRemove(domainEvent.Domain, out _);
                break;
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (true)
        {
            if (!first)
            {
                await Task.Delay(settings.Interval, cancellationToken).ConfigureAwait(false);
                await RecheckHostAsync(cancellationToken).ConfigureAwait(false);
            }

            var starting = first;
            first = false;
            IReadOnlyList<string> names;
            try
            {
                names = await VirshGuestClock.ListRunningAsync(host, uri, cancellationToken).ConfigureAwait(false);
            }
            // A host that cannot be listed at the start (no virsh, a wrong -LibvirtUri, libvirt down) is
            // an error for that host; once watching, a failed poll is retried.
            catch (KvmTimeException e) when (!starting && !cancellationToken.IsCancellationRequested)
            {
                TargetLog.Warning(host.ComputerName, $"the poll could not list the running domains ({e.ErrorId}: {e.Message}); trying again in {settings.Interval}.");
                continue;
            }

            await Task.WhenAll(names.Where(Watched).Select(name => CorrectAsync(name, SyncTrigger.Poll, cancellationToken))).ConfigureAwait(false);
        }
    }

    // The host can lose its synchronization while the watch runs: then no guest is stepped until it is back.
    private async Task RecheckHostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var verdict = HostClockCheck.Judge(await host.GatherAsync(HostClockCheck.Request(), cancellationToken).ConfigureAwait(false), host.ComputerName);
            var usable = force || verdict.State != HostClockState.NotSynchronized;
            if (usable != hostUsable)
            {
                TargetLog.Warning(host.ComputerName, usable ? $"the host is synchronized again; guests are stepped again. {verdict.Explanation}" : $"no guest is stepped until the host is synchronized again: {verdict.Explanation}");
            }

            hostUsable = usable;
        }
        catch (KvmTimeException e) when (!cancellationToken.IsCancellationRequested)
        {
            TargetLog.Warning(host.ComputerName, $"the host's time daemon could not be read again ({e.Message}); keeping the last answer.");
        }
    }

    private void Track(Task task)
    {
        running[task] = true;
        _ = task.ContinueWith(t => running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task CorrectAsync(string domain, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        var gate = perDomain.GetOrAdd(domain, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!hostUsable)
            {
                TargetLog.Verbose(host.ComputerName, $"domain '{domain}': not stepped ({trigger.Description}): the host is not synchronized.");
                return;
            }

            if (await PlanAsync(domain, trigger, cancellationToken).ConfigureAwait(false) is not { } plan)
            {
                return;
            }

            var offset = plan.OffsetBefore ?? TimeSpan.Zero;
            switch (ClockStepDecision.Decide(offset, trigger.ByEvent, settings))
            {
                case ClockStep.Leave:
                    TargetLog.Verbose(host.ComputerName, $"domain '{domain}': {TimeSyncVerdict.Format(offset)} off after {trigger.Description}; within the limit, left alone.");
                    break;
                case ClockStep.RefuseBackward:
                    sink.Error(new KvmTimeException(ErrorIds.BackwardStepRefused, FailureKind.InvalidOperation, ClockStepDecision.RefusalMessage(string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, host.ComputerName, domain), offset, settings)) { ComputerName = host.ComputerName }, plan.Target);
                    break;
                default:
                    var result = await sink.CorrectAsync(plan, cancellationToken).ConfigureAwait(false);
                    if (trigger.ByEvent && !trigger.IsFollowUp && result is { Applied: true, OffsetAfter: { } after } && after.Duration() > FollowUpAbove)
                    {
                        Track(FollowUpAsync(domain, trigger.FollowUp(after), cancellationToken));
                    }

                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One guest failing, however it fails, never stops the watch.
            sink.Error(e, $"{domain} on {host.ComputerName}");
        }
        finally
        {
            slots.Release();
            gate.Release();
        }
    }

    private async Task FollowUpAsync(string domain, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        await Task.Delay(FollowUpDelay, cancellationToken).ConfigureAwait(false);
        await CorrectAsync(domain, trigger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Measures the guest; null when it cannot be stepped now (paused, stopped, agent away) and a later event or poll will.</summary>
    private async Task<TimeSyncPlan?> PlanAsync(string domain, SyncTrigger trigger, CancellationToken cancellationToken)
    {
        var clock = new VirshGuestClock(host, uri, domain);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var plan = await HostTimeSync.PlanAsync(clock, trigger, cancellationToken).ConfigureAwait(false);
                waitingForAgent.TryRemove(domain, out _);
                return plan;
            }
            catch (KvmTimeException e) when (trigger.ByEvent && attempt < EventAttempts && e.ErrorId is "DomainPaused" or "AgentTimeout")
            {
                // A restore reports Started before Resumed, and a resumed TCG guest's agent can take a moment.
                await Task.Delay(PausedRetry, cancellationToken).ConfigureAwait(false);
            }
            catch (KvmTimeException e) when (e.ErrorId is "AgentNotConnected" or "AgentTimeout")
            {
                if (!waitingForAgent.TryGetValue(domain, out var warned) || !warned)
                {
                    TargetLog.Warning(host.ComputerName, $"domain '{domain}': the guest agent is not connected ({trigger.Description}); its clock is stepped when the agent connects.");
                    waitingForAgent[domain] = true;
                }

                return null;
            }
            catch (KvmTimeException e) when (e.ErrorId is "DomainPaused" or "DomainShutOff" or "DomainNotRunning")
            {
                TargetLog.Verbose(host.ComputerName, $"domain '{domain}': not stepped ({trigger.Description}): {e.Message}");
                return null;
            }
        }
    }
}
