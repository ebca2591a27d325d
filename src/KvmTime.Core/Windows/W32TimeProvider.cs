namespace KvmTime.Windows;

/// <summary>A time provider block under [TimeProviders] (NtpClient, NtpServer, VMICTimeProvider, PtpClient ...).</summary>
internal sealed record W32TimeProvider(string Name, string? Origin, IReadOnlyDictionary<string, W32TimeSetting> Settings)
{
    public W32TimeSetting? Setting(string name) => Settings.TryGetValue(name, out var setting) ? setting : null;
}
