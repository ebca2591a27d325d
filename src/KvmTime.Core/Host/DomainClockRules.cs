using System.Globalization;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>What libvirt accepts in &lt;clock&gt; (RHEL 7 guide §23.16, libvirt formatdomain): checked before anything reaches a host.</summary>
internal static class DomainClockRules
{
    public static IReadOnlyList<string> TimerNames { get; } = ["platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock"];

    private static readonly string[] Offsets = ["utc", "localtime"];
    private static readonly string[] TickPolicies = ["delay", "catchup", "merge", "discard"];
    private static readonly string[] Tracks = ["boot", "guest", "wall", "realtime"];
    private static readonly string[] TscModes = ["auto", "native", "emulate", "paravirt", "smpsafe"];

    public static string Offset(string offset) => OneOf(offset, Offsets, ErrorIds.InvalidClockOffset, "-Offset",
        Messages.ClockOffsetHint);

    public static string TimerName(string name) => OneOf(name, TimerNames, ErrorIds.InvalidTimerSetting, Messages.ChoiceTimerName, null);

    public static DomainTimer Timer(DomainTimer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var name = TimerName(timer.Name);
        if (timer.Track is not null && name != "rtc")
        {
            throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerTrackRtcOnly, name));
        }

        if ((timer.Frequency is not null || timer.Mode is not null) && name != "tsc")
        {
            throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerFrequencyTscOnly, name));
        }

        if (timer.Frequency is <= 0)
        {
            throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerFrequencyNotPositive, timer.Frequency));
        }

        return new DomainTimer
        {
            Name = name,
            Present = timer.Present,
            TickPolicy = timer.TickPolicy is null ? null : OneOf(timer.TickPolicy, TickPolicies, ErrorIds.InvalidTimerSetting, "tickpolicy", null),
            Track = timer.Track is null ? null : OneOf(timer.Track, Tracks, ErrorIds.InvalidTimerSetting, "track", null),
            Frequency = timer.Frequency,
            Mode = timer.Mode is null ? null : OneOf(timer.Mode, TscModes, ErrorIds.InvalidTimerSetting, Messages.ChoiceTscMode, null),
        };
    }

    /// <summary>A -Timer hashtable (Name, Present, TickPolicy, Track, Frequency, Mode) as a timer setting.</summary>
    public static DomainTimer TimerFrom(System.Collections.IDictionary spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in spec)
        {
            var key = entry.Key.ToString() ?? string.Empty;
            if (!TimerKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerKeyUnknown, key, string.Join(", ", TimerKeys)));
            }

            values[key] = Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        if (!values.TryGetValue("Name", out var name))
        {
            throw Invalid(Messages.TimerNameMissing);
        }

        return Timer(new DomainTimer
        {
            Name = name,
            Present = values.TryGetValue("Present", out var present) ? YesNo(present) : null,
            TickPolicy = values.GetValueOrDefault("TickPolicy"),
            Track = values.GetValueOrDefault("Track"),
            Frequency = values.TryGetValue("Frequency", out var hz)
                ? long.TryParse(hz, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var f) ? f : throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerFrequencyNotWhole, hz))
                : null,
            Mode = values.GetValueOrDefault("Mode"),
        });
    }

    private static readonly string[] TimerKeys = ["Name", "Present", "TickPolicy", "Track", "Frequency", "Mode"];

    private static bool YesNo(string value) => value.ToUpperInvariant() switch
    {
        "TRUE" or "YES" or "1" => true,
        "FALSE" or "NO" or "0" => false,
        _ => throw Invalid(string.Format(CultureInfo.InvariantCulture, Messages.TimerPresentNotBoolean, value)),
    };

    private static string OneOf(string value, IReadOnlyList<string> allowed, string errorId, string what, string? hint)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = allowed.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new KvmTimeException(errorId, FailureKind.InvalidArgument,
            string.Format(CultureInfo.InvariantCulture, Messages.InvalidChoice, value, what, string.Join(", ", allowed), hint is null ? string.Empty : "; " + hint));
    }

    private static KvmTimeException Invalid(string message) => new(ErrorIds.InvalidTimerSetting, FailureKind.InvalidArgument, string.Format(CultureInfo.InvariantCulture, Messages.InvalidTimerSetting, message));
}
