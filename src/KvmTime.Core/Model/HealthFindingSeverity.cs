namespace KvmTime.Model;

/// <summary>How much one finding matters; the target's <see cref="HealthVerdict"/> is the worst of its findings.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum HealthFindingSeverity
{
    /// <summary>Time is right now, but the setting lets it go wrong after a pause, migration or reboot.</summary>
    Warning = 1,

    /// <summary>Time is wrong now, or nothing on the target would correct it.</summary>
    Critical = 2,
}
