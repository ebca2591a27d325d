using KvmTime.Model;

namespace KvmTime.Host;

/// <summary>Says what a clock change does that the user did not name: so that a preset never drops a timer silently.</summary>
internal static class DomainClockNotes
{
    public static IReadOnlyList<string> For(DomainClockSettings before, DomainClockSettings after, DomainClockChange change)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(change);
        var notes = new List<string>();
        var preset = change.Preset is null ? "requested" : $"{change.Preset} preset";
        foreach (var timer in before.Timers.Where(t => !change.RemoveTimers.Contains(t.Name)))
        {
            if (after.Timers.All(t => t.Name != timer.Name))
            {
                notes.Add($"timer {timer} is removed: it is not part of the {preset} clock. Add it back with -Timer to keep it.");
            }
            else if (change.ReplaceTimers && DomainClockPresets.KeptTimers.Contains(timer.Name) && change.Timers.All(t => t.Name != timer.Name))
            {
                notes.Add($"timer {timer} is kept: presets leave the guest's TSC frequency and mode as they are.");
            }
        }

        if (before.InvariantTsc is not null)
        {
            notes.Add($"the domain's <cpu> has the invtsc feature (policy {before.InvariantTsc}); the clock change leaves it as it is.");
        }

        return notes;
    }
}
