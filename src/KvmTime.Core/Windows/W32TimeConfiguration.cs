namespace KvmTime.Windows;

/// <summary>
/// `w32tm /query /configuration`: the [Configuration] settings and the [TimeProviders] blocks, keyed by
/// their registry value names (which w32tm prints untranslated in every language). A line that is
/// missing is simply absent.
/// </summary>
internal sealed record W32TimeConfiguration(IReadOnlyDictionary<string, W32TimeSetting> Settings, IReadOnlyDictionary<string, W32TimeProvider> Providers)
{
    public const string NtpClient = "NtpClient";

    /// <summary>The Hyper-V integration time provider (vmictimeprovider.dll).</summary>
    public const string HyperVProvider = "VMICTimeProvider";

    public W32TimeSetting? Setting(string name) => Settings.TryGetValue(name, out var setting) ? setting : null;

    public W32TimeProvider? Provider(string name) => Providers.TryGetValue(name, out var provider) ? provider : null;

    /// <summary>
    /// A setting of the NTP client: in its provider block (how recent Windows prints Type and NtpServer),
    /// else in the [Parameters] section (where older Windows prints them).
    /// </summary>
    public W32TimeSetting? ClientSetting(string name) => Provider(NtpClient)?.Setting(name) ?? Setting(name);
}
