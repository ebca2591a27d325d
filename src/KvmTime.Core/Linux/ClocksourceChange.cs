using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>What the user asked Set-GuestClocksource for, checked before any target is touched.</summary>
public sealed class ClocksourceRequest
{
    public string? Clocksource { get; init; }

    public ChangeScope Scope { get; init; }

    /// <summary>Boot arguments to set (clocksource=, tsc=reliable, no-kvmclock) or to remove.</summary>
    public required KernelArgumentEdit Arguments { get; init; }

    public BootLoaderKind? BootLoader { get; init; }

    public bool Runtime => Scope is ChangeScope.Runtime or ChangeScope.Both && Clocksource is not null;

    public bool Persistent => Scope is ChangeScope.Persistent or ChangeScope.Both;
}

/// <summary>
/// One target's clocksource change, planned from one gather: the runtime write (checked against
/// available_clocksource), the boot-argument plan, and how to apply and verify them.
/// </summary>
public sealed class ClocksourceChange
{
    private readonly ITarget target;
    private readonly ClocksourceRequest request;
    private readonly ClocksourceInfo before;
    private readonly BootArgumentPlan? boot;
    private readonly BootFacts? facts;

    private ClocksourceChange(ITarget target, ClocksourceRequest request, ClocksourceInfo before, BootFacts? facts, BootArgumentPlan? boot, ChangePlan plan)
    {
        this.target = target;
        this.request = request;
        this.before = before;
        this.facts = facts;
        this.boot = boot;
        Plan = plan;
    }

    public ChangePlan Plan { get; }

    public string ComputerName => target.ComputerName;

    public static async Task<ClocksourceChange> PrepareAsync(ITarget target, ClocksourceRequest request, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        var reader = new BootFactsReader();
        var gatherRequest = ClocksourceReader.Request();
        if (request.Persistent)
        {
            reader.AddTo(gatherRequest);
        }

        var gathered = await target.GatherAsync(gatherRequest, cancellationToken).ConfigureAwait(false);
        var clock = ClocksourceReader.Parse(gathered, target.ComputerName);
        var writes = new List<SysfsWrite>();
        if (request.Runtime)
        {
            RequireAvailable(clock, request.Clocksource!, target.ComputerName);
            if (clock.Current != request.Clocksource)
            {
                writes.Add(new SysfsWrite(Clocksources.CurrentPath, request.Clocksource!));
            }
        }

        BootFacts? facts = null;
        BootArgumentPlan? boot = null;
        if (request.Persistent)
        {
            facts = reader.Parse(gathered);
            var loader = BootLoaderDetector.Detect(facts, request.BootLoader, target.ComputerName, "-Scope Runtime");
            boot = BootArgumentPlanner.Plan(facts, loader, request.Arguments, utcNow, target.ComputerName);
        }

        var plan = new ChangePlan { Files = boot?.Files ?? [], Commands = boot?.Commands ?? [], GeneratedFiles = boot?.GeneratedFiles ?? [], SysfsWrites = writes };
        return new ClocksourceChange(target, request, clock, facts, boot, plan);
    }

    /// <summary>The result without applying anything (-WhatIf, or a declined -Confirm).</summary>
    public ClocksourceChangeResult NotApplied() => Result(before.Current, facts, applied: false);

    public async Task<ClocksourceChangeResult> ApplyAsync(CancellationToken cancellationToken)
    {
        if (Plan.IsEmpty)
        {
            return Result(before.Current, facts, applied: true);
        }

        var reader = new BootFactsReader();
        var verify = ClocksourceReader.Request();
        if (boot is not null)
        {
            reader.AddTo(verify);
        }

        var gathered = await ChangeRunner.ApplyAsync(target, Plan, verify, cancellationToken).ConfigureAwait(false);
        var current = ClocksourceReader.Parse(gathered, target.ComputerName).Current;
        if (request.Runtime && current != request.Clocksource)
        {
            throw new KvmTimeException("ClocksourceNotSelected", FailureKind.InvalidOperation,
                $"{target.ComputerName}: {request.Clocksource} was written to current_clocksource, but the kernel chose {current}. The kernel may defer a source that is not HRT-capable; see dmesg for 'Override clocksource'.")
            { ComputerName = target.ComputerName };
        }

        var after = boot is null ? null : reader.Parse(gathered);
        if (boot is not null)
        {
            BootChangeReport.VerifyGrubby(boot, after!, target.ComputerName);
        }

        return Result(current, after, applied: true);
    }

    private ClocksourceChangeResult Result(string current, BootFacts? bootFacts, bool applied) => new()
    {
        ComputerName = target.ComputerName,
        Scope = request.Scope.ToString(),
        Clocksource = request.Clocksource,
        PreviousClocksource = before.Current,
        CurrentClocksource = current,
        Persistent = boot is null ? null : BootChangeReport.Describe(boot, NextBootReader.Read(bootFacts!, boot.Loader).Arguments),
        Changed = applied && !Plan.IsEmpty,
        Applied = applied,
        RebootRequired = bootFacts is not null && boot is not null && BootChangeReport.RebootRequired(bootFacts, boot.Loader),
    };

    private static void RequireAvailable(ClocksourceInfo clock, string name, string computerName)
    {
        if (!clock.Available.Contains(name))
        {
            throw new KvmTimeException("ClocksourceNotAvailable", FailureKind.ObjectNotFound,
                $"{computerName} does not offer the clocksource '{name}'. Available: {string.Join(", ", clock.Available)}. Nothing was changed.")
            { ComputerName = computerName };
        }
    }
}
