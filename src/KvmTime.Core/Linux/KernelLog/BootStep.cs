namespace KvmTime.Linux.KernelLog;

/// <summary>What a kernel line did to the boot count of its source.</summary>
internal enum BootStep
{
    /// <summary>The line belongs to the boot so far (or to a fallback still undecided).</summary>
    Same,

    /// <summary>A boot marker: the line starts the next boot.</summary>
    NewBoot,

    /// <summary>A boot-relative stamp fell back: whether it is a reboot waits for the next stamps.</summary>
    FallbackStarted,

    /// <summary>The stamps came back to the old timeline: the lines since the fallback were out of order.</summary>
    Returned,

    /// <summary>The stamps went on from the fallback: the next boot began at the line that fell back.</summary>
    RebootConfirmed,
}
