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
        var forced = MyInvocation.BoundParameters.ContainsKey(nameof(BootLoader)) ? BootLoader : (BootLoaderKind?)null;
        return [KernelBootArgumentsReport.Of(reader.Parse(gathered), forced, target.ComputerName)];
    }
}
