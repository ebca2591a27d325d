using KvmTime.Model;

namespace KvmTime.Windows;

/// <summary>Turns the Windows Time service's status into the same GuestTimeSyncStatus Linux daemons give.</summary>
internal static class W32TimeSyncStatus
{
    /// <summary>One round trip: the verbose status, which adds the phase offset. The labels are localized; the parser knows English, German and French ones.</summary>
    public const string Script = "(w32tm /query /status /verbose 2>&1) -join \"`n\"";

    /// <param name="settings">The configuration, when it could be read.</param>
    /// <param name="configurationError">Why the configuration could not be read, when it could not.</param>
    public static GuestTimeSyncStatus ToStatus(W32TimeStatus status, string computerName, W32TimeClientSettings? settings = null, string? configurationError = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        var advice = Advise(status);
        if (settings is not null)
        {
            advice.AddRange(W32TimeConfigurationAdvice.Advise(settings));
        }

        if (configurationError is not null)
        {
            advice.Add($"The w32time configuration could not be read: {configurationError}");
        }

        return new GuestTimeSyncStatus
        {
            ComputerName = computerName,
            Daemon = "w32time",
            Source = status.Source,
            Stratum = status.Stratum,
            Offset = status.PhaseOffset,
            LeapStatus = status.LeapIndicator switch
            {
                0 => "Normal",
                1 => "Insert second",
                2 => "Delete second",
                3 => "Not synchronised",
                _ => "Unknown",
            },
            IsSynchronized = status.IsSynchronized,
            Sources = [],
            SyncType = settings?.SyncType,
            NtpServers = settings?.NtpServers,
            MinPollInterval = settings?.MinPollInterval,
            MaxPollInterval = settings?.MaxPollInterval,
            SpecialPollInterval = settings?.SpecialPollInterval,
            HyperVTimeProviderEnabled = settings?.HyperVTimeProviderEnabled,
            ConfigurationSource = settings?.Source,
            Recommendations = advice,
        };
    }

    private static List<string> Advise(W32TimeStatus status)
    {
        var advice = new List<string>();
        if (status.Source is null || status.Source.StartsWith("Local CMOS Clock", StringComparison.OrdinalIgnoreCase) || !status.IsSynchronized)
        {
            advice.Add("w32time has no network time source: set one with 'w32tm /config /manualpeerlist:<ntp server> /syncfromflags:manual /update', then 'w32tm /resync'.");
        }

        if (status.Source is not null && status.Source.Contains("VM IC Time Synchronization Provider", StringComparison.OrdinalIgnoreCase))
        {
            advice.Add("The guest follows the Hyper-V integration time provider; on KVM prefer an NTP peer and the hypervclock enlightenment.");
        }

        return advice;
    }
}
