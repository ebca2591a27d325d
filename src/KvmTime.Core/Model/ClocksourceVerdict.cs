namespace KvmTime.Model;

/// <summary>What an unstable mark most likely means, judged from the events of its boot.</summary>
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
public enum ClocksourceVerdict
{
    /// <summary>The log does not say enough to judge (no numbers, or the explaining block is missing).</summary>
    Undetermined,

    /// <summary>A delay, not a clock error: a read-back delay, a stall between the paired reads, or a stop (pause, migration, steal) the watchdog slept through.</summary>
    LikelyFalsePositive,

    /// <summary>The clock itself misbehaves: a steady rate error, a skew that repeats or grows, or a TSC warp between CPUs.</summary>
    LikelyReal,
}
