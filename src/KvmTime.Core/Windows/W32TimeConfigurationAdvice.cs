namespace KvmTime.Windows;

/// <summary>What a KVM guest's w32time configuration lacks: advice, not failures.</summary>
internal static class W32TimeConfigurationAdvice
{
    public static IEnumerable<string> Advise(W32TimeClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.Equals(settings.SyncType, "NoSync", StringComparison.OrdinalIgnoreCase))
        {
            yield return "w32time's NtpClient Type is NoSync: it follows no source. Use NT5DS in a domain or 'w32tm /config /manualpeerlist:<ntp server> /syncfromflags:manual /update'.";
        }

        if (string.Equals(settings.SyncType, "NTP", StringComparison.OrdinalIgnoreCase) && settings.NtpServers is { Count: 0 })
        {
            yield return "w32time's NtpClient Type is NTP but its NtpServer list is empty: set one with 'w32tm /config /manualpeerlist:<ntp server> /update'.";
        }

        if (settings.HyperVTimeProviderEnabled == true)
        {
            yield return "VMICTimeProvider (the Hyper-V integration time provider) is enabled; a KVM host offers no Hyper-V time service, so the guest keeps time only through its NTP peers.";
        }
    }
}
