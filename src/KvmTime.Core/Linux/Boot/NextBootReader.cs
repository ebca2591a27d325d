using System.Text.RegularExpressions;

namespace KvmTime.Linux.Boot;

/// <summary>The kernel arguments the next boot will get, and where they were read.</summary>
internal sealed record NextBootArguments(IReadOnlyList<string> Arguments, string Source);

/// <summary>Reads what the next boot gets from the boot loader's own data, not from the files KvmTime edits.</summary>
internal static partial class NextBootReader
{
    public static NextBootArguments Read(BootFacts facts, BootLoaderChoice loader)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(loader);
        switch (loader.Kind)
        {
            case BootLoaderKind.Grubby:
                var entries = GrubbyInfo.Parse(facts.GrubbyInfo ?? string.Empty);
                var entry = entries.FirstOrDefault(e => e.Kernel == facts.GrubbyDefaultKernel) ?? entries.FirstOrDefault();
                return entry is null
                    ? new NextBootArguments([], "grubby --info=ALL (no entries)")
                    : new NextBootArguments(Words(entry.Arguments), $"grubby --info ({entry.Kernel})");
            case BootLoaderKind.SystemdBoot:
                if (facts.KernelCmdline.Content is not null)
                {
                    return new NextBootArguments(Words(facts.KernelCmdline.Content), KernelCmdlineEditor.CmdlinePath);
                }

                var first = facts.LoaderEntries.FirstOrDefault();
                return new NextBootArguments(first?.Content is null ? [] : KernelCmdlineEditor.BlsOptions(first.Content), first?.Path ?? "no loader entries");
            default:
                var cfg = facts.GrubConfigs.FirstOrDefault(c => c.Path == loader.GrubConfigPath) ?? facts.GrubConfigs.FirstOrDefault();
                var line = cfg?.Content is null ? null : LinuxLine().Match(cfg.Content);
                return line is { Success: true }
                    ? new NextBootArguments(Words(line.Groups["args"].Value), $"{cfg!.Path} (first menu entry)")
                    : new NextBootArguments(GrubDefaultEditor.EffectiveArguments(facts.GrubDefaultFiles), "/etc/default/grub (no linux line in grub.cfg)");
        }
    }

    private static List<string> Words(string text) =>
        PlainArgumentScanner.Scan(text, 0, 0, text.Length).Select(w => w.Text).ToList();

    [GeneratedRegex(@"^[ \t]*linux(efi|16)?[ \t]+\S+[ \t]*(?<args>[^\n]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LinuxLine();
}
