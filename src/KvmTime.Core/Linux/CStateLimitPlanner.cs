using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>
/// Set-KernelCStateLimit without I/O: processor.max_cstate (acpi_idle) and, where intel_idle is or
/// could be the driver, intel_idle.max_cstate too, because each driver reads only its own argument
/// and intel_idle.max_cstate=0 alone falls back to acpi_idle with its deep states; plus the runtime
/// cpuidle disable writes on every CPU.
/// </summary>
internal static class CStateLimitPlanner
{
    public static GatherRequest Request(BootFactsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.AddTo(CpuIdle.AddTo(TscReader.Request()));
    }

    public static CStateLimitPlan Plan(CStateLimitRequest request, BootFactsReader reader, GatherResult gathered, DateTime utcNow, string computerName)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reader);
        var tsc = TscReader.Parse(gathered, computerName);
        var idle = CpuIdle.Parse(gathered);
        var facts = reader.Parse(gathered);
        var warnings = new List<string>();
        if (tsc.IsInvariant && request.MaxCState is not null)
        {
            warnings.Add($"{computerName} has an invariant TSC (constant_tsc and nonstop_tsc): deep C-states do not disturb it, so a C-state limit is probably unnecessary and only costs power.");
        }

        BootArgumentPlan? boot = null;
        if (request.BootLoader is null && request.HasRuntimePart && !BootLoaderDetector.HasBootLoader(facts))
        {
            // Containers and microVMs booted by their host: the running kernel is all there is to change.
            warnings.Add($"{computerName} has no boot loader KvmTime knows, so only the running kernel is changed; the change lasts until the next boot.");
        }
        else
        {
            var loader = BootLoaderDetector.Detect(facts, request.BootLoader, computerName, "-Runtime");
            boot = BootArgumentPlanner.Plan(facts, loader, Edit(request, idle, tsc.CpuVendor), utcNow, computerName);
        }

        var writes = request.MaxCState is int max
            ? request.Runtime ? idle.DeeperThan(max).Where(s => !s.Disabled).Select(s => new SysfsWrite(s.Path + "/disable", "1")).ToList() : []
            : idle.States.Where(s => s.Disabled).Select(s => new SysfsWrite(s.Path + "/disable", "0")).ToList();
        var changes = new ChangePlan { Files = boot?.Files ?? [], Commands = boot?.Commands ?? [], GeneratedFiles = boot?.GeneratedFiles ?? [], SysfsWrites = writes };
        return new CStateLimitPlan
        {
            ComputerName = computerName, Request = request, Idle = idle, InvariantTsc = tsc.IsInvariant, Facts = facts, Boot = boot, Changes = changes, Warnings = warnings,
        };
    }

    /// <summary>The result without applying anything (-WhatIf), or of a plan that had nothing to change.</summary>
    public static CStateLimitResult Unchanged(CStateLimitPlan plan, bool applied)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Result(plan, plan.Facts, applied);
    }

    /// <summary>Checks what the apply script read back and returns the verified result.</summary>
    public static CStateLimitResult Verified(CStateLimitPlan plan, BootFactsReader reader, GatherResult gathered)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(reader);
        var after = reader.Parse(gathered);
        if (plan.Boot is not null)
        {
            BootChangeReport.VerifyGrubby(plan.Boot, after, plan.ComputerName);
        }

        return Result(plan, after, applied: true);
    }

    private static KernelArgumentEdit Edit(CStateLimitRequest request, CpuIdle idle, string cpuVendor)
    {
        if (request.MaxCState is not int max)
        {
            return KernelArgumentEdit.Create([], [new KernelArgument("processor.max_cstate", null), new KernelArgument("intel_idle.max_cstate", null)]);
        }

        var value = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var set = new List<KernelArgument> { new("processor.max_cstate", value) };
        if (idle.Driver == "intel_idle" || cpuVendor == "GenuineIntel")
        {
            set.Add(new KernelArgument("intel_idle.max_cstate", value));
        }

        return KernelArgumentEdit.Create(set, []);
    }

    private static CStateLimitResult Result(CStateLimitPlan plan, BootFacts bootFacts, bool applied) => new()
    {
        ComputerName = plan.ComputerName,
        MaxCState = plan.Request.MaxCState,
        IdleDriver = plan.Idle.Driver,
        StatesDisabled = plan.Changes.SysfsWrites.Where(w => w.Value == "1").Select(w => IdleStateName(plan.Idle, w.Path)).ToList(),
        StatesEnabled = plan.Changes.SysfsWrites.Where(w => w.Value == "0").Select(w => IdleStateName(plan.Idle, w.Path)).ToList(),
        InvariantTsc = plan.InvariantTsc,
        Persistent = plan.Boot is null ? null : BootChangeReport.Describe(plan.Boot, NextBootReader.Read(bootFacts, plan.Boot.Loader).Arguments),
        Changed = applied && plan.IsChange,
        Applied = applied,
        RebootRequired = plan.Boot is not null && BootChangeReport.RebootRequired(bootFacts, plan.Boot.Loader),
    };

    // "/sys/devices/system/cpu/cpu3/cpuidle/state2/disable" -> "cpu3/state2 C1E"
    private static string IdleStateName(CpuIdle idle, string disablePath)
    {
        var statePath = disablePath[..disablePath.LastIndexOf('/')];
        var state = idle.States.First(s => s.Path == statePath);
        return $"cpu{state.Cpu}/state{state.Index} {state.Name}".TrimEnd();
    }
}
