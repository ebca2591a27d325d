using System.Globalization;
using KvmTime.Changes;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.CpuFrequency;

/// <summary>
/// Set-CpuFrequencyPolicy without I/O: what to gather, the plan (the governor checked against every
/// CPU's scaling_available_governors, a scaling_governor write per CPU that differs, the boot-time
/// configuration), and the verdict on what was read back after applying it.
/// </summary>
internal static class GovernorPlanner
{
    /// <summary>What Prepare gathers; the same request, with a fresh nonce, verifies after applying.</summary>
    public static GatherRequest Request(GovernorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var gather = CpuFrequencyReader.Request(request.Root);
        return request.Persistent ? GovernorConfigReader.AddTo(gather, request) : gather;
    }

    public static GovernorPlan Plan(GovernorRequest request, GatherResult gathered, DateTime utcNow, string computerName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(gathered);
        var policy = CpuFrequencyReader.Parse(gathered, computerName);
        if (!policy.HasCpufreq)
        {
            throw new KvmTimeException(ErrorIds.CpufreqNotAvailable, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.CpufreqNotAvailable, computerName))
            { ComputerName = computerName };
        }

        RequireAvailable(policy, request.Governor, computerName);
        var writes = policy.Cpus.Where(c => c.Governor != request.Governor)
            .Select(c => new SysfsWrite(request.PathOf($"/sys/devices/system/cpu/cpu{c.Cpu}/cpufreq/scaling_governor"), request.Governor))
            .ToList();
        var cpu = CpuInfo.Parse(gathered.TextOrNull("cpuinfo") ?? string.Empty);
        var invariant = cpu is not null && cpu.Has("constant_tsc") && cpu.Has("nonstop_tsc");
        var warnings = new List<string>();
        if (invariant)
        {
            warnings.Add($"{computerName} has an invariant TSC (constant_tsc and nonstop_tsc): a frequency change does not move it, so this governor change is not needed for timekeeping.");
        }

        GovernorPersistencePlan? persistence = null;
        if (request.Persistent)
        {
            var facts = GovernorConfigReader.Parse(gathered);
            persistence = GovernorPersistencePlanner.Plan(request, facts, utcNow, computerName);
            if (facts.HasOndemandScript)
            {
                warnings.Add($"{computerName} has /etc/init.d/ondemand, which sets its own governor a minute after boot; disable it (update-rc.d ondemand disable) so that {persistence.Service} keeps {request.Governor}.");
            }
        }

        var changes = new ChangePlan
        {
            Files = persistence?.File is { } file ? [file] : [],
            Commands = persistence?.EnableCommand is { } enable ? [enable] : [],
            SysfsWrites = writes,
        };
        return new GovernorPlan { ComputerName = computerName, Request = request, Before = policy, InvariantTsc = invariant, Persistence = persistence, Changes = changes, Warnings = warnings };
    }

    /// <summary>The result without applying anything (-WhatIf), or of a plan that had nothing to change.</summary>
    public static CpuFrequencyChangeResult Unchanged(GovernorPlan plan, bool applied)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Result(plan, plan.Before, plan.Persistence?.ServiceWasEnabled, applied);
    }

    /// <summary>Checks what the apply script read back (every CPU's governor, the service enabled) and returns the verified result.</summary>
    public static CpuFrequencyChangeResult Verified(GovernorPlan plan, GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(gathered);
        var after = CpuFrequencyReader.Parse(gathered, plan.ComputerName);
        var wrong = after.Cpus.Where(c => c.Governor != plan.Request.Governor).ToList();
        if (wrong.Count > 0 || after.Cpus.Count < plan.Before.Cpus.Count)
        {
            throw new KvmTimeException(ErrorIds.GovernorNotApplied, FailureKind.InvalidResult,
                string.Format(CultureInfo.InvariantCulture, wrong.Count == 0 ? Messages.GovernorNotAppliedOffline : Messages.GovernorNotApplied, plan.ComputerName, plan.Request.Governor,
                    string.Join(", ", wrong.Select(c => string.Format(CultureInfo.InvariantCulture, Messages.GovernorCpuReads, c.Cpu, c.Governor)))))
            { ComputerName = plan.ComputerName };
        }

        bool? enabled = null;
        if (plan.Persistence is { } persistence)
        {
            var facts = GovernorConfigReader.Parse(gathered);
            enabled = persistence.Method == GovernorPersistenceMethod.Cpufrequtils ? facts.CpufrequtilsEnabled : facts.CpupowerEnabled is "enabled" or "enabled-runtime" or "alias" or "linked";
            if (enabled != true)
            {
                throw new KvmTimeException(ErrorIds.GovernorServiceNotEnabled, FailureKind.InvalidResult,
                    string.Format(CultureInfo.InvariantCulture, Messages.GovernorServiceNotEnabled, plan.ComputerName, persistence.ConfigPath, persistence.Service))
                { ComputerName = plan.ComputerName };
            }
        }

        return Result(plan, after, enabled, applied: true);
    }

    private static void RequireAvailable(CpuFrequencyPolicy policy, string governor, string computerName)
    {
        var missing = policy.Cpus.Where(c => !c.AvailableGovernors.Contains(governor)).Select(c => $"cpu{c.Cpu}").ToList();
        if (missing.Count > 0)
        {
            throw new KvmTimeException(ErrorIds.GovernorNotAvailable, FailureKind.ObjectNotFound,
                string.Format(CultureInfo.InvariantCulture, Messages.GovernorNotAvailable, computerName, governor, string.Join(", ", missing), string.Join(", ", policy.AvailableGovernors)))
            { ComputerName = computerName };
        }
    }

    private static CpuFrequencyChangeResult Result(GovernorPlan plan, CpuFrequencyPolicy now, bool? enabled, bool applied) => new()
    {
        ComputerName = plan.ComputerName,
        Governor = plan.Request.Governor,
        PreviousGovernors = plan.Before.Governors,
        Governors = now.Governors,
        CpusChanged = plan.Before.Cpus.Where(c => c.Governor != plan.Request.Governor).Select(c => c.Cpu).ToList(),
        PersistenceMethod = plan.Persistence?.Method,
        ConfigPath = plan.Persistence?.ConfigPath,
        BackupPath = plan.Persistence?.File?.BackupPath,
        Service = plan.Persistence?.Service,
        ServiceEnabled = enabled,
        InvariantTsc = plan.InvariantTsc,
        Changed = applied && plan.IsChange,
        Applied = applied,
    };
}
