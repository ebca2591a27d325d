namespace KvmTime.Linux.Boot;

/// <summary>A grub.cfg on the EFI system partition, and whether it is only a wrapper that loads /boot/grub2/grub.cfg (RHEL 9 and later).</summary>
internal sealed record EfiGrubConfig(string Path, bool IsWrapper);

/// <summary>Everything gathered from a Linux machine about how its kernel arguments are kept.</summary>
internal sealed class BootFacts
{
    public required string ProcCmdline { get; init; }

    /// <summary>/etc/default/grub (Content null when it does not exist).</summary>
    public required BootFile DefaultGrub { get; init; }

    /// <summary>/etc/default/grub.d/*.cfg in the order grub-mkconfig sources them.</summary>
    public required IReadOnlyList<BootFile> GrubDropIns { get; init; }

    public required BootFile KernelCmdline { get; init; }

    public string? UsrLibKernelCmdline { get; init; }

    /// <summary>The boot tools found on PATH (plus /usr/sbin and /sbin).</summary>
    public required IReadOnlySet<string> Tools { get; init; }

    public required bool BootctlInstalled { get; init; }

    /// <summary>Directories (ESP candidates) holding a systemd-boot loader/loader.conf.</summary>
    public required IReadOnlyList<string> LoaderConfigDirectories { get; init; }

    public required bool IsUefi { get; init; }

    public required IReadOnlyList<EfiGrubConfig> EfiGrubConfigs { get; init; }

    /// <summary>Boot Loader Specification entries found under the ESP candidates.</summary>
    public required IReadOnlyList<BootFile> LoaderEntries { get; init; }

    /// <summary>grubby --info=ALL, or null without grubby.</summary>
    public string? GrubbyInfo { get; init; }

    public string? GrubbyDefaultKernel { get; init; }

    /// <summary>The generated grub.cfg files that could be read (/boot/grub/grub.cfg, /boot/grub2/grub.cfg).</summary>
    public required IReadOnlyList<BootFile> GrubConfigs { get; init; }

    /// <summary>/etc/default/grub followed by its drop-ins: the files GRUB's editor works on.</summary>
    public IReadOnlyList<BootFile> GrubDefaultFiles => [DefaultGrub, .. GrubDropIns];
}
