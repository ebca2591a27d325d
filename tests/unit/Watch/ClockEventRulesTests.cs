using KvmTime.Host;
using Xunit;

namespace KvmTime.Tests.Watch;

public sealed class ClockEventRulesTests
{
    [Theory]
    [InlineData("lifecycle", "Resumed Unpaused", "Correct")]
    [InlineData("lifecycle", "Resumed Snapshot", "Correct")]
    [InlineData("lifecycle", "Resumed Migrated", "Correct")]
    [InlineData("lifecycle", "Started Restored", "Correct")]
    [InlineData("lifecycle", "Started FromSnapshot", "Correct")]
    [InlineData("lifecycle", "Started Migrated", "Correct")]
    [InlineData("lifecycle", "Started Booted", "AwaitAgent")]
    [InlineData("agent-lifecycle", "state: 'connected' reason: 'channel event'", "Correct")]
    [InlineData("agent-lifecycle", "state: 'disconnected' reason: 'domain started'", "Ignore")]
    [InlineData("lifecycle", "Suspended Paused", "Ignore")]
    [InlineData("lifecycle", "Defined Added", "Ignore")]
    [InlineData("lifecycle", "Stopped Saved", "Forget")]
    [InlineData("lifecycle", "Stopped Destroyed", "Forget")]
    [InlineData("lifecycle", "Shutdown Finished", "Forget")]
    [InlineData("rtc-change", "0", "Ignore")]
    [InlineData("job-completed", "", "Ignore")]
    public void Reacts_to_what_moves_a_guest_clock(string type, string detail, string expected) =>
        Assert.Equal(Enum.Parse<ClockEventReaction>(expected), ClockEventRules.React(new DomainEvent(null, type, "web01", detail)));

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
