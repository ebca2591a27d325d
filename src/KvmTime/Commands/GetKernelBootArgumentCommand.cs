using System.Management.Automation;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Compares the timing arguments of the running kernel with those the next boot gets: is a reboot still needed?</summary>
[Cmdlet(VerbsCommon.Get, "KernelBootArgument")]
[OutputType(typeof(KernelBootArguments))]
public sealed class GetKernelBootArgumentCommand : TargetCmdlet
{
    /// <summary>Reads the next boot's arguments through this boot loader instead of the one detected.</summary>
    [Parameter(HelpMessage = "Read through this boot loader instead of the detected one.")]
    public BootLoaderKind BootLoader { get; set; }

    private protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        var reader = new BootFactsReader();
        var gathered = await target.GatherAsync(reader.AddTo(new GatherRequest()), cancellationToken).ConfigureAwait(false);
        var facts = reader.Parse(gathered);
        var forced = MyInvocation.BoundParameters.ContainsKey(nameof(BootLoader)) ? BootLoader : (BootLoaderKind?)null;
        if (forced is null && !BootLoaderDetector.HasBootLoader(facts))
        {
            // A container or a microVM booted by its host: what runs is known, the next boot is not.
            return
            [
                new KernelBootArguments
                {
                    ComputerName = target.ComputerName,
                    BootLoader = "None",
                    Running = PendingArguments.Timing([facts.ProcCmdline]),
                    NextBoot = [],
                    Source = "unknown: no boot loader on this machine",
                    PendingAdded = [],
                    PendingRemoved = [],
                    RebootRequired = false,
                },
            ];
        }

        var loader = BootLoaderDetector.Detect(facts, forced, target.ComputerName);
        var next = NextBootReader.Read(facts, loader);
        var (added, removed) = PendingArguments.Difference([facts.ProcCmdline], next.Arguments);
        return
        [
            new KernelBootArguments
            {
                ComputerName = target.ComputerName,
                BootLoader = loader.Kind.ToString(),
                Running = PendingArguments.Timing([facts.ProcCmdline]),
                NextBoot = PendingArguments.Timing(next.Arguments),
                Source = next.Source,
                PendingAdded = added,
                PendingRemoved = removed,
                RebootRequired = added.Count > 0 || removed.Count > 0,
            },
        ];
    }
}
