namespace KvmTime.Model;

/// <summary>How a target's timekeeping stands overall: the worst severity among its findings. Ordered, so a sort puts the worst last (descending: first).</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum HealthVerdict
{
    /// <summary>No finding.</summary>
    Healthy = 0,

    /// <summary>At least one Warning finding and no Critical one: time is right now but can go wrong (a pause, a migration, a reboot).</summary>
    Warning = 1,

    /// <summary>At least one Critical finding: time is wrong now, or nothing would correct it.</summary>
    Critical = 2,
}
