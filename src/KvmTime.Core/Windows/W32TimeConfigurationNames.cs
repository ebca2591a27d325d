namespace KvmTime.Windows;

/// <summary>
/// The registry value names w32tm prints in its configuration (Microsoft's "Windows Time service tools
/// and settings" lists them); the output counts as a configuration only when it holds one of them.
/// </summary>
internal static class W32TimeConfigurationNames
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        // [Configuration]
        "EventLogFlags", "AnnounceFlags", "TimeJumpAuditOffset", "MinPollInterval", "MaxPollInterval",
        "MaxNegPhaseCorrection", "MaxPosPhaseCorrection", "MaxAllowedPhaseOffset", "FrequencyCorrectRate",
        "PollAdjustFactor", "LargePhaseOffset", "SpikeWatchPeriod", "LocalClockDispersion", "HoldPeriod",
        "PhaseCorrectRate", "UpdateInterval", "FileLogName", "FileLogEntries", "FileLogSize", "FileLogFlags",

        // a provider block
        "DllName", "Enabled", "InputProvider", "CrossSiteSyncFlags", "AllowNonstandardModeCombinations",
        "ResolvePeerBackoffMinutes", "ResolvePeerBackoffMaxTimes", "CompatibilityFlags", "LargeSampleSkew",
        "SpecialPollInterval", "Type", "NtpServer",
    };

    public static bool IsKnown(string name) => Known.Contains(name);
}
