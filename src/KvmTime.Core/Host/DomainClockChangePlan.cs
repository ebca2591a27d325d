using KvmTime.Changes;
using KvmTime.Model;

namespace KvmTime.Host;

/// <summary>One domain's clock change on one KVM host, decided: the exact new XML and its diff, as data.</summary>
internal sealed class DomainClockChangePlan(string computerName, string uri, DomainClockPlan plan, KvmDomainClock before) : IChangePlan
{
    public string ComputerName { get; } = computerName;

    public string Uri { get; } = uri;

    public DomainClockPlan Plan { get; } = plan ?? throw new ArgumentNullException(nameof(plan));

    /// <summary>The clock as read before, which a plan that is not applied reports.</summary>
    public KvmDomainClock Before { get; } = before;

    public string Target => $"domain {Plan.Domain} on {ComputerName} ({Uri})";

    public string Action => $"Redefine the clock ({string.Join("; ", Plan.Changes)})";

    public bool IsChange => Plan.IsChange;

    /// <summary>A running guest keeps its old clock until it is shut down and started (a reboot from inside is not enough).</summary>
    public bool RestartRequired => Plan.IsChange && Plan.RestartRequired;

    public bool RebootRequired => false;

    public IReadOnlyList<string> Warnings => [];

    public string Describe() =>
        (RestartRequired ? "# effective after the guest is shut down and started\n" : string.Empty)
        + string.Concat(Plan.Notes.Select(n => $"# note: {n}\n"))
        + Plan.Diff;

    /// <summary>The result with the clock as it is: re-read after a change (with its backup), or as read before.</summary>
    public KvmDomainClockChange Result(KvmDomainClock clock, string? backup, bool applied = true) => new()
    {
        Applied = applied,
        ComputerName = ComputerName,
        Domain = Plan.Domain,
        Changed = Plan.IsChange && backup is not null,
        RestartRequired = RestartRequired && backup is not null,
        Changes = Plan.Changes,
        Notes = Plan.Notes,
        Diff = Plan.Diff,
        BackupPath = backup,
        Clock = clock,
    };
}
