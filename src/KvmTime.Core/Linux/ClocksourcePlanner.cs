using System.Globalization;
using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>
/// Set-GuestClocksource on Linux, without I/O: what to gather, the plan from what was gathered (the
/// runtime write checked against available_clocksource, the boot-argument plan), and the verdict on
/// what was read back after applying it.
/// </summary>
internal static class ClocksourcePlanner
{
    /// <summary>What Prepare gathers; the same request, with a fresh nonce, verifies after applying.</summary>
    public static GatherRequest Request(ClocksourceRequest request, BootFactsReader reader)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reader);
        var gather = ClocksourceReader.Request();
        return request.Persistent ? reader.AddTo(gather) : gather;
    }

    public static ClocksourcePlan Plan(ClocksourceRequest request, BootFactsReader reader, GatherResult gathered, DateTime utcNow, string computerName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reader);
        var clock = ClocksourceReader.Parse(gathered, computerName);
        var writes = new List<SysfsWrite>();
        if (request.Runtime)
        {
            RequireAvailable(clock, request.Clocksource!, computerName);
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
            var loader = BootLoaderDetector.Detect(facts, request.BootLoader, computerName, "-Scope Runtime");
            boot = BootArgumentPlanner.Plan(facts, loader, request.Arguments, utcNow, computerName);
        }

        var changes = new ChangePlan { Files = boot?.Files ?? [], Commands = boot?.Commands ?? [], GeneratedFiles = boot?.GeneratedFiles ?? [], SysfsWrites = writes };
        return new ClocksourcePlan { ComputerName = computerName, Request = request, Before = clock, Facts = facts, Boot = boot, Changes = changes };
    }

    /// <summary>The result without applying anything (-WhatIf), or of a plan that had nothing to change.</summary>
    public static ClocksourceChangeResult Unchanged(ClocksourcePlan plan, bool applied)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Result(plan, plan.Before.Current, plan.Facts, applied);
    }

    /// <summary>Checks what the apply script read back and returns the verified result.</summary>
    public static ClocksourceChangeResult Verified(ClocksourcePlan plan, BootFactsReader reader, GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(reader);
        var request = plan.Request;
        var current = ClocksourceReader.Parse(gathered, plan.ComputerName).Current;
        if (request.Runtime && current != request.Clocksource)
        {
            throw new KvmTimeException(ErrorIds.ClocksourceNotSelected, FailureKind.InvalidOperation,
                string.Format(CultureInfo.InvariantCulture, Messages.ClocksourceNotSelected, plan.ComputerName, request.Clocksource, current))
            { ComputerName = plan.ComputerName };
        }

        var after = plan.Boot is null ? null : reader.Parse(gathered);
        if (plan.Boot is not null)
        {
            BootChangeReport.VerifyGrubby(plan.Boot, after!, plan.ComputerName);
        }

        return Result(plan, current, after, applied: true);
    }

    private static ClocksourceChangeResult Result(ClocksourcePlan plan, string current, BootFacts? bootFacts, bool applied) => new()
    {
        ComputerName = plan.ComputerName,
        Scope = plan.Request.Scope.ToString(),
        Clocksource = plan.Request.Clocksource,
        PreviousClocksource = plan.Before.Current,
        CurrentClocksource = current,
        Persistent = plan.Boot is null ? null : BootChangeReport.Describe(plan.Boot, NextBootReader.Read(bootFacts!, plan.Boot.Loader).Arguments),
        Changed = applied && plan.IsChange,
        Applied = applied,
        RebootRequired = bootFacts is not null && plan.Boot is not null && BootChangeReport.RebootRequired(bootFacts, plan.Boot.Loader),
    };

    private static void RequireAvailable(ClocksourceInfo clock, string name, string computerName)
    {
        if (!clock.Available.Contains(name))
        {
            throw new KvmTimeException(ErrorIds.ClocksourceNotAvailable, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.ClocksourceNotAvailable, computerName, name, string.Join(", ", clock.Available)))
            { ComputerName = computerName };
        }
    }
}
