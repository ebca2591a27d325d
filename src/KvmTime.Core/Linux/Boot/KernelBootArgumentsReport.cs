using KvmTime.Model;

namespace KvmTime.Linux.Boot;

/// <summary>Get-KernelBootArgument's understanding step: the running and next-boot timing arguments from <see cref="BootFacts"/>.</summary>
internal static class KernelBootArgumentsReport
{
    /// <param name="forced">The boot loader the user named, or null to detect it.</param>
    public static KernelBootArguments Of(BootFacts facts, BootLoaderKind? forced, string computerName)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var running = PendingArguments.Timing([facts.ProcCmdline]);
        if (forced is null && !BootLoaderDetector.HasBootLoader(facts))
        {
            // A container or a microVM booted by its host: what runs is known, the next boot is not.
            return new KernelBootArguments
            {
                ComputerName = computerName,
                BootLoader = "None",
                Running = running,
                NextBoot = [],
                Source = "unknown: no boot loader on this machine",
                PendingAdded = [],
                PendingRemoved = [],
                RebootRequired = false,
            };
        }

        var loader = BootLoaderDetector.Detect(facts, forced, computerName);
        var next = NextBootReader.Read(facts, loader);
        var (added, removed) = PendingArguments.Difference([facts.ProcCmdline], next.Arguments);
        return new KernelBootArguments
        {
            ComputerName = computerName,
            BootLoader = loader.Kind.ToString(),
            Running = running,
            NextBoot = PendingArguments.Timing(next.Arguments),
            Source = next.Source,
            PendingAdded = added,
            PendingRemoved = removed,
            RebootRequired = added.Count > 0 || removed.Count > 0,
        };
    }
}
