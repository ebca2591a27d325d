namespace KvmTime.Windows;

/// <summary>The parts of w32time's configuration Get-GuestTimeSync reports; each is null when its line is missing.</summary>
internal sealed record W32TimeClientSettings(
    string? SyncType,
    IReadOnlyList<string>? NtpServers,
    TimeSpan? MinPollInterval,
    TimeSpan? MaxPollInterval,
    TimeSpan? SpecialPollInterval,
    bool? HyperVTimeProviderEnabled,
    string? Source);
