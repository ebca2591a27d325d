using KvmTime.Host;
using Xunit;

namespace KvmTime.Tests.Watch;

public sealed class ClockEventRulesTests
{
    [Theory]
    [InlineData("lifecycle", "Resumed Unpaused", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Resumed Snapshot", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Resumed Migrated", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Started Restored", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Started FromSnapshot", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Started Migrated", ClockEventReaction.Correct)]
    [InlineData("lifecycle", "Started Booted", ClockEventReaction.AwaitAgent)]
    [InlineData("agent-lifecycle", "state: 'connected' reason: 'channel event'", ClockEventReaction.Correct)]
    [InlineData("agent-lifecycle", "state: 'disconnected' reason: 'domain started'", ClockEventReaction.Ignore)]
    [InlineData("lifecycle", "Suspended Paused", ClockEventReaction.Ignore)]
    [InlineData("lifecycle", "Defined Added", ClockEventReaction.Ignore)]
    [InlineData("lifecycle", "Stopped Saved", ClockEventReaction.Forget)]
    [InlineData("lifecycle", "Stopped Destroyed", ClockEventReaction.Forget)]
    [InlineData("lifecycle", "Shutdown Finished", ClockEventReaction.Forget)]
    [InlineData("rtc-change", "0", ClockEventReaction.Ignore)]
    [InlineData("job-completed", "", ClockEventReaction.Ignore)]
    public void Reacts_to_what_moves_a_guest_clock(string type, string detail, ClockEventReaction expected) =>
        Assert.Equal(expected, ClockEventRules.React(new DomainEvent(null, type, "web01", detail)));

    [Fact]
    public void A_recorded_save_and_restore_asks_for_corrections_only_after_the_restore()
    {
        var events = DomainEventParser.ParseAll(SampleFiles.ReadBody("libvirt/virsh-event-lab-agent-restart-save-restore.txt"));

        var corrections = events.Where(e => ClockEventRules.React(e) == ClockEventReaction.Correct).Select(e => e.Description).ToList();

        Assert.Equal(
            ["agent-lifecycle: state: 'connected' reason: 'channel event'", "lifecycle: Started Restored", "lifecycle: Resumed Snapshot", "agent-lifecycle: state: 'connected' reason: 'channel event'"],
            corrections);
    }
}
