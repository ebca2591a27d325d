namespace KvmTime.Linux;

/// <summary>Whether a KVM host's own clock is fit to be copied to its guests.</summary>
internal enum HostClockState
{
    /// <summary>The host's time daemon says it is synchronized to a source.</summary>
    Synchronized,

    /// <summary>The host's time daemon says it is not synchronized: its time must not be copied.</summary>
    NotSynchronized,

    /// <summary>No time daemon runs, or its status could not be read.</summary>
    Unknown,
}

/// <summary>The host clock check's answer and the sentence that explains it.</summary>
internal sealed record HostClockVerdict(HostClockState State, string Daemon, string Explanation);
