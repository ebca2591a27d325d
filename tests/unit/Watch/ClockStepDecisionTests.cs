using KvmTime.Sync;
using Xunit;

namespace KvmTime.Tests.Watch;

public sealed class ClockStepDecisionTests
{
    private static readonly WatchSettings Defaults = new();

    [Theory]
    [InlineData(-20_000, true, "Step")]      // behind after a 20 s pause
    [InlineData(-20_000, false, "Step")]
    [InlineData(-50, true, "Step")]           // an event steps anything measurable
    [InlineData(-50, false, "Leave")]         // a poll leaves what the guest's NTP can slew
    [InlineData(5, true, "Leave")]            // below the event threshold
    [InlineData(-500, false, "Leave")]        // exactly MaxDrift is within it
    [InlineData(-501, false, "Step")]
    [InlineData(800, false, "Step")]          // ahead, but within MaxBackwardStep: stepped back
    [InlineData(1000, true, "Step")]          // exactly MaxBackwardStep is allowed
    [InlineData(1001, true, "RefuseBackward")]
    [InlineData(30_000, false, "RefuseBackward")]
    public void Decides_from_offset_and_trigger(int offsetMs, bool byEvent, string expected) =>
        Assert.Equal(Enum.Parse<ClockStep>(expected), ClockStepDecision.Decide(TimeSpan.FromMilliseconds(offsetMs), byEvent, Defaults));

    [Fact]
    public void AllowBackward_steps_any_distance_back()
    {
        var settings = Defaults with { AllowBackward = true };

        Assert.Equal(ClockStep.Step, ClockStepDecision.Decide(TimeSpan.FromHours(1), false, settings));
    }

    [Fact]
    public void A_zero_MaxBackwardStep_refuses_every_backward_step_beyond_the_threshold()
    {
        var settings = Defaults with { MaxBackwardStep = TimeSpan.Zero };

        Assert.Equal(ClockStep.RefuseBackward, ClockStepDecision.Decide(TimeSpan.FromMilliseconds(20), true, settings));
        Assert.Equal(ClockStep.Step, ClockStepDecision.Decide(TimeSpan.FromMilliseconds(-20), true, settings));
    }

    [Fact]
    public void The_refusal_says_how_far_ahead_the_limit_and_the_way_out()
    {
        var text = ClockStepDecision.RefusalMessage("kvm01: domain 'db01'", TimeSpan.FromSeconds(30), Defaults);

        Assert.Contains("kvm01: domain 'db01' is +30.000 s ahead", text, StringComparison.Ordinal);
        Assert.Contains("(+1.000 s)", text, StringComparison.Ordinal);
        Assert.Contains("-AllowBackward", text, StringComparison.Ordinal);
    }
}
