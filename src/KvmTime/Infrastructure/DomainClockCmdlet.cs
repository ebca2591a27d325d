using System.Management.Automation;
using KvmTime.Host;
using KvmTime.Targets;

namespace KvmTime.Commands;

/// <summary>
/// The base of the cmdlets that work on libvirt domains of a KVM host: -Domain and -LibvirtUri,
/// checked before any host is contacted, and one read of every domain per host.
/// </summary>
public abstract class DomainClockCmdlet : TargetCmdlet
{
    /// <summary>The libvirt domains to work on.</summary>
    [Parameter(Mandatory = true, HelpMessage = "The libvirt domains to work on.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DomainNameCompleter))]
    public string[] Domain { get; set; } = [];

    /// <summary>The libvirt connection URI on the KVM host.</summary>
    [Parameter(HelpMessage = "The libvirt connection URI on the KVM host.")]
    [ValidateNotNullOrEmpty]
    public string LibvirtUri { get; set; } = LibvirtNames.DefaultUri;

    /// <summary>A bad name is the caller's mistake on every host alike, so it stops the command.</summary>
    protected override void BeginProcessing() => Terminating(() =>
    {
        foreach (var domain in Domain)
        {
            LibvirtNames.Domain(domain);
        }

        LibvirtNames.Uri(LibvirtUri);
    });

    /// <summary>Runs a check and turns its KvmTimeException into a terminating error with the same ID.</summary>
    protected void Terminating(Action check)
    {
        ArgumentNullException.ThrowIfNull(check);
        try
        {
            check();
        }
        catch (KvmTimeException e)
        {
            ThrowTerminatingError(ErrorMapping.ToErrorRecord(e, string.Empty));
        }
    }

    /// <summary>Reads every domain in one round trip, then works on each; a domain that fails gets its own error and the others go on.</summary>
    private protected async Task<IReadOnlyList<object>> ForEachDomainAsync(ITarget target, bool forDefine, Func<DomainDefinition, Task<object?>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(work);
        var domains = Domain;
        var gathered = await target.GatherAsync(DomainClockScripts.Read(LibvirtUri, domains, forDefine), cancellationToken).ConfigureAwait(false);
        var results = new List<object>();
        for (var i = 0; i < domains.Length; i++)
        {
            try
            {
                if (await work(DomainClockReader.Definition(gathered, i, domains[i], target.ComputerName)).ConfigureAwait(false) is { } result)
                {
                    results.Add(result);
                }
            }
            catch (KvmTimeException e)
            {
                WriteErrorFromWorker(e, $"{target.ComputerName}/{domains[i]}");
            }
        }

        return results;
    }
}
