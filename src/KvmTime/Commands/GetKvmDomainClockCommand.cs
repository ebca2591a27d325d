using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>Reads libvirt domains' virtual clock hardware: &lt;clock&gt; offset and timers, and the Hyper-V enlightenments.</summary>
[Cmdlet(VerbsCommon.Get, "KvmDomainClock")]
[OutputType(typeof(KvmDomainClock))]
public sealed class GetKvmDomainClockCommand : DomainClockCmdlet
{
    private protected override Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken) =>
        ForEachDomainAsync(target, forDefine: false, definition => Task.FromResult<object?>(DomainClockReader.Clock(definition, LibvirtUri, target.ComputerName)), cancellationToken);
}
