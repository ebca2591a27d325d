using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Gathers <see cref="BootFacts"/> in the one round trip of a cmdlet. Files whose names are not known
/// in advance (grub.d drop-ins, loader entries) come back in one command each, framed by a nonce.
/// </summary>
internal sealed class BootFactsReader
{
    private const string PathPrefix = "PATH=\"$PATH:/usr/sbin:/sbin\"; ";
    private static readonly string[] EspCandidates = ["/efi", "/boot/efi", "/boot"];
    private static readonly string[] ToolNames = ["bootctl", "grubby", "update-grub", "update-bootloader", "grub2-mkconfig", "grub-mkconfig", "kernel-install"];

    private readonly string nonce = LinuxGatherScript.NewNonce();

    public GatherRequest AddTo(GatherRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var espEntries = string.Join(' ', EspCandidates.Select(d => d + "/loader/entries/*.conf"));
        return request
            .File("boot-cmdline", "/proc/cmdline")
            .File("boot-default-grub", GrubDefaultEditor.DefaultPath)
            .Command("boot-grub-dropins", FileSet.Command("/etc/default/grub.d/*.cfg", nonce))
            .File("boot-kernel-cmdline", KernelCmdlineEditor.CmdlinePath)
            .File("boot-usr-kernel-cmdline", "/usr/lib/kernel/cmdline")
            .Command("boot-tools", PathPrefix + "for c in " + string.Join(' ', ToolNames) + "; do command -v \"$c\" >/dev/null 2>&1 && echo \"$c\"; done; exit 0")
            .Command("boot-bootctl", PathPrefix + "bootctl is-installed >/dev/null 2>&1")
            .Command("boot-loader-conf", "for d in " + string.Join(' ', EspCandidates) + "; do [ -f \"$d/loader/loader.conf\" ] && echo \"$d\"; done; exit 0")
            .Command("boot-efi", "[ -d /sys/firmware/efi ]")
            .Command("boot-efi-grub", "for f in /boot/efi/EFI/*/grub.cfg; do [ -f \"$f\" ] || continue; " +
                "if grep -qE '^[[:space:]]*configfile' \"$f\" && ! grep -qE '^[[:space:]]*(menuentry|blscfg)' \"$f\"; then echo \"wrapper $f\"; else echo \"full $f\"; fi; done; exit 0")
            .Command("boot-entries", FileSet.Command(espEntries, nonce))
            .Command("boot-grubby-info", PathPrefix + "command -v grubby >/dev/null 2>&1 || exit 127; grubby --info=ALL")
            .Command("boot-grubby-default", PathPrefix + "command -v grubby >/dev/null 2>&1 || exit 127; grubby --default-kernel")
            .File("boot-grub-cfg", "/boot/grub/grub.cfg")
            .File("boot-grub2-cfg", "/boot/grub2/grub.cfg");
    }

    public BootFacts Parse(GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(gathered);
        return new BootFacts
        {
            ProcCmdline = gathered.TextOrNull("boot-cmdline") ?? string.Empty,
            DefaultGrub = new BootFile(GrubDefaultEditor.DefaultPath, gathered.TextOrNull("boot-default-grub")),
            GrubDropIns = FileSet.Parse(gathered.TextOrNull("boot-grub-dropins") ?? string.Empty, nonce),
            KernelCmdline = new BootFile(KernelCmdlineEditor.CmdlinePath, gathered.TextOrNull("boot-kernel-cmdline")),
            UsrLibKernelCmdline = gathered.TextOrNull("boot-usr-kernel-cmdline"),
            Tools = Lines(gathered.TextOrNull("boot-tools")).ToHashSet(StringComparer.Ordinal),
            BootctlInstalled = gathered.Get("boot-bootctl")?.Succeeded == true,
            LoaderConfigDirectories = Lines(gathered.TextOrNull("boot-loader-conf")).ToList(),
            IsUefi = gathered.Get("boot-efi")?.Succeeded == true,
            EfiGrubConfigs = Lines(gathered.TextOrNull("boot-efi-grub"))
                .Select(l => l.Split(' ', 2))
                .Where(p => p.Length == 2)
                .Select(p => new EfiGrubConfig(p[1], p[0] == "wrapper"))
                .ToList(),
            LoaderEntries = FileSet.Parse(gathered.TextOrNull("boot-entries") ?? string.Empty, nonce),
            GrubbyInfo = gathered.TextOrNull("boot-grubby-info"),
            GrubbyDefaultKernel = gathered.TextOrNull("boot-grubby-default")?.Trim(),
            GrubConfigs = new[] { ("/boot/grub/grub.cfg", "boot-grub-cfg"), ("/boot/grub2/grub.cfg", "boot-grub2-cfg") }
                .Select(p => new BootFile(p.Item1, gathered.TextOrNull(p.Item2)))
                .Where(f => f.Content is not null)
                .ToList(),
        };
    }

    private static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
