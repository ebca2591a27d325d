using KvmTime.Changes;

namespace KvmTime.Linux.Boot;

/// <summary>The persistent half of a change: which boot loader, which files and commands, and which arguments come and go.</summary>
internal sealed class BootArgumentPlan
{
    public required BootLoaderChoice Loader { get; init; }

    public required IReadOnlyList<PlannedFile> Files { get; init; }

    public required IReadOnlyList<string> Commands { get; init; }

    public required IReadOnlyList<string> Added { get; init; }

    public required IReadOnlyList<string> Removed { get; init; }

    /// <summary>For grubby: the arguments each entry must have afterwards, checked against grubby --info=ALL.</summary>
    public IReadOnlyList<GrubbyEntry> ExpectedGrubbyEntries { get; init; } = [];

    /// <summary>The grub.cfg the regenerate command rewrites, so a rolled-back change can put it back.</summary>
    public IReadOnlyList<string> GeneratedFiles => Commands.Count > 0 && Loader.GrubConfigPath is not null ? [Loader.GrubConfigPath] : [];

    public bool IsEmpty => Files.Count == 0 && Commands.Count == 0;
}
