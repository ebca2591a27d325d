namespace KvmTime.Model;

/// <summary>How a distribution sets the CPU frequency governor at boot.</summary>
public enum GovernorPersistenceMethod
{
    /// <summary>cpupower.service reading CPUPOWER_START_OPTS from /etc/sysconfig/cpupower (kernel-tools on RHEL, CentOS and Fedora; found by its files, not by the distribution's name).</summary>
    CpupowerSysconfig,

    /// <summary>The upstream cpupower.service (added to the kernel's tools in 2025) reading GOVERNOR= from cpupower-service.conf.</summary>
    CpupowerServiceConfig,

    /// <summary>Debian's and Ubuntu's cpufrequtils init script reading GOVERNOR= from /etc/default/cpufrequtils.</summary>
    Cpufrequtils,
}
