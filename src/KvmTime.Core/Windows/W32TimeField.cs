namespace KvmTime.Windows;

/// <summary>The lines of `w32tm /query /status [/verbose]` KvmTime reads.</summary>
internal enum W32TimeField
{
    LeapIndicator,
    Stratum,
    Precision,
    RootDelay,
    RootDispersion,
    ReferenceId,
    LastSuccessfulSyncTime,
    Source,
    PollInterval,
    PhaseOffset,
}
