using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Sync;

/// <summary>What to do with one measured guest offset.</summary>
internal enum ClockStep
{
    /// <summary>Close enough: leave the clock alone.</summary>
    Leave,

    /// <summary>Step it to the host's time.</summary>
    Step,

    /// <summary>It is ahead by more than -MaxBackwardStep: report it, do not step it back.</summary>
    RefuseBackward,
}

/// <summary>Decides whether Watch-GuestTime steps a guest, from its offset (guest minus host) and what triggered the look.</summary>
internal static class ClockStepDecision
{
    /// <param name="offset">Guest minus host: positive when the guest is ahead, so a step moves it backwards.</param>
    /// <param name="byEvent">True for a libvirt event (step anything measurable), false for the interval poll (step beyond MaxDrift).</param>
    public static ClockStep Decide(TimeSpan offset, bool byEvent, WatchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var threshold = byEvent ? WatchSettings.EventThreshold : settings.MaxDrift;
        if (offset.Duration() <= threshold)
        {
            return ClockStep.Leave;
        }

        return offset > settings.MaxBackwardStep && !settings.AllowBackward ? ClockStep.RefuseBackward : ClockStep.Step;
    }

    /// <summary>The message of a refused backward step.</summary>
    public static string RefusalMessage(string where, TimeSpan offset, WatchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Format(CultureInfo.InvariantCulture, Messages.BackwardStepRefused, where, TimeSyncVerdict.Format(offset), TimeSyncVerdict.Format(settings.MaxBackwardStep));
    }
}
