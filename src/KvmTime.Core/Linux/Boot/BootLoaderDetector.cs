using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>The boot loader in use, the command that regenerates its configuration, and the grub.cfg that command writes.</summary>
internal sealed record BootLoaderChoice(BootLoaderKind Kind, string? RegenerateCommand, string? GrubConfigPath);

/// <summary>Finds how a machine keeps its kernel arguments, in the order of the facts file (section 3).</summary>
internal static class BootLoaderDetector
{
    /// <param name="runtimeOption">The calling cmdlet's own way to change only the running kernel (e.g. "-Runtime"), named in the error; null when it has none.</param>
    public static BootLoaderChoice Detect(BootFacts facts, BootLoaderKind? forced, string computerName, string? runtimeOption = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var kind = forced ?? Find(facts)
            ?? throw new KvmTimeException(ErrorIds.BootLoaderNotFound, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, runtimeOption is null ? Messages.BootLoaderNotDetected : Messages.BootLoaderNotDetectedRuntime, computerName, runtimeOption))
            { ComputerName = computerName };
        return kind switch
        {
            BootLoaderKind.SystemdBoot => new BootLoaderChoice(kind, null, null),
            BootLoaderKind.Grubby when !facts.Tools.Contains("grubby") => throw new KvmTimeException(ErrorIds.BootLoaderNotFound, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.BootLoaderNotFound, computerName))
            { ComputerName = computerName },
            BootLoaderKind.Grubby => new BootLoaderChoice(kind, null, null),
            BootLoaderKind.UpdateGrub => new BootLoaderChoice(kind, Require(facts, "update-grub", computerName), "/boot/grub/grub.cfg"),
            BootLoaderKind.UpdateBootloader => new BootLoaderChoice(kind, Require(facts, "update-bootloader", computerName) + " --refresh", "/boot/grub2/grub.cfg"),
            _ => Mkconfig(facts, computerName),
        };
    }

    /// <summary>False on machines without any boot loader KvmTime knows (containers, microVMs booted by their host).</summary>
    public static bool HasBootLoader(BootFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Find(facts) is not null;
    }

    private static BootLoaderKind? Find(BootFacts facts)
    {
        var hasDefaultGrub = facts.DefaultGrub.Content is not null;
        if (facts.BootctlInstalled
            || (facts.KernelCmdline.Content is not null && facts.LoaderConfigDirectories.Count > 0 && !facts.Tools.Contains("grubby")))
        {
            return BootLoaderKind.SystemdBoot;
        }

        if (facts.Tools.Contains("grubby"))
        {
            return BootLoaderKind.Grubby;
        }

        if (!hasDefaultGrub)
        {
            return null;
        }

        if (facts.Tools.Contains("update-grub"))
        {
            return BootLoaderKind.UpdateGrub;
        }

        if (facts.Tools.Contains("update-bootloader"))
        {
            return BootLoaderKind.UpdateBootloader;
        }

        return facts.Tools.Contains("grub2-mkconfig") || facts.Tools.Contains("grub-mkconfig") ? BootLoaderKind.GrubMkconfig : null;
    }

    // UEFI on RHEL 7/8 reads the full grub.cfg on the ESP; from RHEL 9 (and Fedora 34+) that file is a
    // wrapper that grub2-mkconfig refuses to overwrite, and the real one is /boot/grub2/grub.cfg.
    private static BootLoaderChoice Mkconfig(BootFacts facts, string computerName)
    {
        var tool = facts.Tools.Contains("grub2-mkconfig") ? "grub2-mkconfig" : Require(facts, "grub-mkconfig", computerName);
        var path = tool == "grub2-mkconfig" ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg";
        var efiFull = facts.IsUefi ? facts.EfiGrubConfigs.FirstOrDefault(c => !c.IsWrapper) : null;
        if (efiFull is not null)
        {
            path = efiFull.Path;
        }

        return new BootLoaderChoice(BootLoaderKind.GrubMkconfig, $"{tool} -o {ShellQuote.Single(path)}", path);
    }

    private static string Require(BootFacts facts, string tool, string computerName) =>
        facts.Tools.Contains(tool)
            ? tool
            : throw new KvmTimeException(ErrorIds.BootLoaderToolMissing, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.BootLoaderToolMissing, computerName, tool))
            { ComputerName = computerName };
}
