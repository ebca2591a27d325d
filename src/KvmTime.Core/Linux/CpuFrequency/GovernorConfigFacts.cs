namespace KvmTime.Linux.CpuFrequency;

/// <summary>What a machine has for setting the governor at boot, as gathered (file contents null when absent).</summary>
internal sealed class GovernorConfigFacts
{
    /// <summary>/etc/os-release's ID and ID_LIKE, e.g. "debian" or "rhel centos fedora".</summary>
    public required string Distribution { get; init; }

    /// <summary>/etc/os-release's PRETTY_NAME, for messages.</summary>
    public required string PrettyName { get; init; }

    /// <summary>/etc/sysconfig/cpupower (kernel-tools).</summary>
    public string? Sysconfig { get; init; }

    /// <summary>The upstream cpupower-service.conf, and where it was found.</summary>
    public string? ServiceConfig { get; init; }

    public string? ServiceConfigPath { get; init; }

    /// <summary>/etc/default/cpufrequtils.</summary>
    public string? CpufrequtilsDefault { get; init; }

    /// <summary>A cpupower.service unit file exists.</summary>
    public required bool HasCpupowerUnit { get; init; }

    /// <summary>What systemctl is-enabled says about cpupower.service; null without systemctl.</summary>
    public string? CpupowerEnabled { get; init; }

    /// <summary>/etc/init.d/cpufrequtils exists (the cpufrequtils package).</summary>
    public required bool HasCpufrequtils { get; init; }

    /// <summary>A start link of cpufrequtils in /etc/rc2.d .. rc5.d.</summary>
    public required bool CpufrequtilsEnabled { get; init; }

    /// <summary>Ubuntu's old /etc/init.d/ondemand, which sets its own governor a minute after boot.</summary>
    public required bool HasOndemandScript { get; init; }

    public required bool HasSystemctl { get; init; }

    public bool IsDebianFamily => Distribution.Split(' ').Any(d => d is "debian" or "ubuntu");
}
