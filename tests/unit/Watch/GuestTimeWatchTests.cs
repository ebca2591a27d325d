using System.Collections.Concurrent;
using KvmTime.Model;
using KvmTime.Operations;
using KvmTime.Sync;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests.Watch;

/// <summary>The watch loop on a host answered in memory: what reaches the confirm-and-apply, the errors and the warnings.</summary>
public sealed class GuestTimeWatchTests
{
    // Applies each step with the real engine, as the cmdlet's confirm-and-apply does once confirmed.
    private sealed class RecordingSink(FakeWatchHost host) : IWatchSink
    {
        public ConcurrentQueue<TimeSyncPlan> Plans { get; } = new();

        public ConcurrentQueue<Exception> Errors { get; } = new();

        public async Task<TimeSyncResult?> CorrectAsync(TimeSyncPlan plan, CancellationToken cancellationToken)
        {
            Plans.Enqueue(plan);
            return await HostTimeSync.ApplyAsync(new VirshGuestClock(host, "qemu:///system", plan.Domain!), plan, cancellationToken);
        }

        public void Error(Exception error, string item) => Errors.Enqueue(error);
    }

    private static async Task<(RecordingSink Sink, List<string> Warnings)> WatchAsync(FakeWatchHost host, TimeSpan duration, WatchSettings? settings = null, IReadOnlyCollection<string>? domains = null, Action? whileWatching = null)
    {
        var sink = new RecordingSink(host);
        var warnings = new List<string>();
        TargetLog.Current = new TargetLogSink(_ => { }, w => { lock (warnings) { warnings.Add(w); } });
        using var watch = new GuestTimeWatch(host, "qemu:///system", domains, settings ?? new WatchSettings { Interval = TimeSpan.FromSeconds(1) }, force: false, eventPollSeconds: 1, throttle: 4, sink);
        using var stop = new CancellationTokenSource(duration);
        var running = watch.RunAsync(stop.Token);
        whileWatching?.Invoke();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        return (sink, warnings);
    }

    [Fact]
    public async Task A_resume_event_of_a_watched_domain_is_stepped_and_carries_the_event()
    {
        var host = new FakeWatchHost { RunningDomains = ["web01", "db01"] };

        var (sink, _) = await WatchAsync(host, TimeSpan.FromSeconds(3), new WatchSettings { Interval = TimeSpan.FromMinutes(10) }, ["web01"], () =>
        {
            Thread.Sleep(500);
            host.Offset = TimeSpan.FromSeconds(-20);
            host.Queue("2026-12-05 21:07:13.507+0000: event 'lifecycle' for domain 'db01': Resumed Unpaused");
            host.Queue("2026-12-05 21:07:14.052+0000: event 'lifecycle' for domain 'web01': Resumed Unpaused");
        });

        var plan = Assert.Single(sink.Plans);
        Assert.Equal("web01", plan.Domain);
        Assert.Equal("lifecycle: Resumed Unpaused", plan.Trigger);
        Assert.Equal(new DateTime(2026, 12, 5, 21, 7, 14, 52, DateTimeKind.Utc), plan.TriggerTime);
        Assert.InRange(plan.OffsetBefore!.Value.TotalSeconds, -20.5, -19.5);
        Assert.Empty(sink.Errors);
    }

    [Fact]
    public async Task A_host_without_virsh_ends_the_watch_at_once_with_VirshNotFound()
    {
        var host = new FakeWatchHost { WithoutVirsh = true };
        var sink = new RecordingSink(host);
        TargetLog.Current = new TargetLogSink(_ => { }, _ => { });
        using var watch = new GuestTimeWatch(host, "qemu:///system", null, new WatchSettings { Interval = TimeSpan.FromSeconds(1) }, force: true, eventPollSeconds: 1, throttle: 4, sink);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var error = await Assert.ThrowsAsync<KvmTimeException>(() => watch.RunAsync(stop.Token));

        Assert.Equal(ErrorIds.VirshNotFound, error.ErrorId);
        Assert.False(stop.IsCancellationRequested);
    }

    [Fact]
    public async Task The_poll_steps_drift_beyond_MaxDrift_and_leaves_less()
    {
        var host = new FakeWatchHost { Offset = TimeSpan.FromSeconds(-3) };

        var (sink, _) = await WatchAsync(host, TimeSpan.FromSeconds(2.5));

        var plan = Assert.Single(sink.Plans);
        Assert.Equal("poll", plan.Trigger);
        Assert.Null(plan.TriggerTime);
        Assert.Equal(1, host.Sets);
    }

    [Fact]
    public async Task A_guest_far_ahead_is_reported_as_BackwardStepRefused_and_not_stepped()
    {
        var host = new FakeWatchHost { Offset = TimeSpan.FromSeconds(30) };

        var (sink, _) = await WatchAsync(host, TimeSpan.FromSeconds(1.5));

        Assert.Empty(sink.Plans);
        var error = Assert.IsType<KvmTimeException>(sink.Errors.First());
        Assert.Equal("BackwardStepRefused", error.ErrorId);
        Assert.Contains("web01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_guest_without_its_agent_is_warned_about_once_and_stepped_when_the_agent_connects()
    {
        var host = new FakeWatchHost { Offset = TimeSpan.FromSeconds(-5), AgentConnected = false };

        var (sink, warnings) = await WatchAsync(host, TimeSpan.FromSeconds(4.5), new WatchSettings { Interval = TimeSpan.FromSeconds(1) }, null, () =>
        {
            Thread.Sleep(3000);
            host.AgentConnected = true;
            host.Queue("2026-12-05 21:12:08.331+0000: event 'agent-lifecycle' for domain 'web01': state: 'connected' reason: 'channel event'");
        });

        var notConnected = warnings.Where(w => w.Contains("agent is not connected", StringComparison.Ordinal)).ToList();
        Assert.Single(notConnected);
        Assert.Contains("domain 'web01'", notConnected[0], StringComparison.Ordinal);
        Assert.Empty(sink.Errors);
        Assert.Contains(sink.Plans, p => p.Trigger!.StartsWith("agent-lifecycle: state: 'connected'", StringComparison.Ordinal) || p.Trigger == "poll");
    }

    [Fact]
    public async Task An_event_step_that_lands_too_far_off_gets_one_more_look_once_the_guest_settled()
    {
        var host = new FakeWatchHost();
        host.SetResidues.Enqueue(TimeSpan.FromMilliseconds(80));
        host.SetResidues.Enqueue(TimeSpan.FromMilliseconds(80));

        var (sink, _) = await WatchAsync(host, TimeSpan.FromSeconds(4.5), new WatchSettings { Interval = TimeSpan.FromMinutes(10) }, null, () =>
        {
            Thread.Sleep(500);
            host.Offset = TimeSpan.FromSeconds(-20);
            host.Queue("2026-12-05 21:07:14.052+0000: event 'lifecycle' for domain 'web01': Resumed Unpaused");
        });

        Assert.Equal(["lifecycle: Resumed Unpaused", "lifecycle: Resumed Unpaused (again: +80.0 ms after the first step)"], sink.Plans.Select(p => p.Trigger));
        Assert.Equal(TimeSpan.Zero, host.Offset);
    }
}
