using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>One Hyper-V enlightenment to switch on or off; <see cref="Value"/> is spinlocks' retries or vendor_id's value.</summary>
internal sealed record HyperVSetting(string Name, bool Enabled, string? Value = null);

/// <summary>
/// What a domain's clock should become: a preset, individual timer settings, or both (the
/// individual settings apply on top of the preset).
/// </summary>
internal sealed class DomainClockChange
{
    /// <summary>utc or localtime; null keeps the domain's offset.</summary>
    public string? Offset { get; init; }

    /// <summary>When true, the domain's timers become exactly <see cref="Timers"/>; otherwise each one is merged into the timer of its name.</summary>
    public bool ReplaceTimers { get; init; }

    /// <summary>Timer settings; a null attribute leaves the domain's value as it is (when merging).</summary>
    public IReadOnlyList<DomainTimer> Timers { get; init; } = [];

    /// <summary>Timers to delete, so the hypervisor's default applies again.</summary>
    public IReadOnlyList<string> RemoveTimers { get; init; } = [];

    /// <summary>Enlightenments to set in &lt;features&gt;&lt;hyperv&gt;; the others stay as they are.</summary>
    public IReadOnlyList<HyperVSetting> HyperV { get; init; } = [];

    /// <summary>The name of the preset this change came from, if any.</summary>
    public string? Preset { get; init; }

    public bool IsEmpty => Offset is null && !ReplaceTimers && Timers.Count == 0 && RemoveTimers.Count == 0 && HyperV.Count == 0;

    /// <summary>
    /// Individual settings on top of a preset (or alone). Validates every value, so that a bad one
    /// fails before any host is touched.
    /// </summary>
    public static DomainClockChange Create(string? preset, string? offset, IReadOnlyList<DomainTimer> timers, IReadOnlyList<string> removeTimers)
    {
        ArgumentNullException.ThrowIfNull(timers);
        ArgumentNullException.ThrowIfNull(removeTimers);
        var basis = preset is null ? new DomainClockChange() : DomainClockPresets.Get(preset);
        var change = new DomainClockChange
        {
            Preset = basis.Preset,
            Offset = offset is null ? basis.Offset : DomainClockRules.Offset(offset),
            ReplaceTimers = basis.ReplaceTimers,
            Timers = Merge(basis.Timers, timers.Select(DomainClockRules.Timer).ToList()),
            RemoveTimers = removeTimers.Select(DomainClockRules.TimerName).ToList(),
            HyperV = basis.HyperV,
        };
        if (change.IsEmpty)
        {
            throw new KvmTimeException(ErrorIds.NoClockChangeGiven, FailureKind.InvalidArgument,
                Messages.NoClockChangeGiven);
        }

        var conflict = change.RemoveTimers.FirstOrDefault(name => change.Timers.Any(t => t.Name == name));
        if (conflict is not null)
        {
            throw new KvmTimeException(ErrorIds.InvalidTimerSetting, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidTimerSetAndRemoved, conflict));
        }

        return change;
    }

    /// <summary>Later settings of the same timer override earlier ones attribute by attribute.</summary>
    private static List<DomainTimer> Merge(IReadOnlyList<DomainTimer> first, IReadOnlyList<DomainTimer> then)
    {
        var merged = first.ToList();
        foreach (var timer in then)
        {
            var index = merged.FindIndex(t => t.Name == timer.Name);
            if (index < 0)
            {
                merged.Add(timer);
                continue;
            }

            var old = merged[index];
            merged[index] = new DomainTimer
            {
                Name = timer.Name,
                Present = timer.Present ?? old.Present,
                TickPolicy = timer.TickPolicy ?? old.TickPolicy,
                Track = timer.Track ?? old.Track,
                Frequency = timer.Frequency ?? old.Frequency,
                Mode = timer.Mode ?? old.Mode,
            };
        }

        return merged;
    }
}
