namespace KvmTime.Linux.Boot;

/// <summary>How a Linux machine's persistent kernel arguments are kept, in the detection order of the facts file.</summary>
public enum BootLoaderKind
{
    /// <summary>systemd-boot: /etc/kernel/cmdline plus the loader entries on the ESP.</summary>
    SystemdBoot,

    /// <summary>grubby (RHEL, Fedora, BLS): grubby --update-kernel=ALL, plus /etc/default/grub where it exists.</summary>
    Grubby,

    /// <summary>Debian and Ubuntu: /etc/default/grub, then update-grub.</summary>
    UpdateGrub,

    /// <summary>SUSE: /etc/default/grub, then update-bootloader --refresh.</summary>
    UpdateBootloader,

    /// <summary>Any other GRUB 2: /etc/default/grub, then grub2-mkconfig or grub-mkconfig into the grub.cfg the firmware reads.</summary>
    GrubMkconfig,
}
