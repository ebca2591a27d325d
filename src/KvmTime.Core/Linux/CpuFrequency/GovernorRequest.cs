namespace KvmTime.Linux.CpuFrequency;

/// <summary>What the user asked Set-CpuFrequencyPolicy for.</summary>
internal sealed class GovernorRequest
{
    /// <summary>The governor to set on every CPU policy, e.g. performance.</summary>
    public required string Governor { get; init; }

    /// <summary>Also configure the distribution's boot-time service to set it, and enable that service.</summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// The root of the file system the change reads and writes: "/" on a real machine; a recorded
    /// sysfs tree with its /etc in a test, so the same gather and apply script run against it.
    /// </summary>
    public string Root { get; init; } = "/";

    /// <summary>An absolute path of the machine, under <see cref="Root"/>.</summary>
    public string PathOf(string absolute)
    {
        ArgumentNullException.ThrowIfNull(absolute);
        return Root == "/" ? absolute : Root.TrimEnd('/') + absolute;
    }
}
