using KvmTime.Changes;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Linux;

/// <summary>What the user asked Set-KernelCStateLimit for.</summary>
public sealed class CStateLimitRequest
{
    /// <summary>0..9, or null to remove the limit.</summary>
    public int? MaxCState { get; init; }

    /// <summary>Also disable the deeper idle states now (a removal always re-enables them).</summary>
    public bool Runtime { get; init; }

    public BootLoaderKind? BootLoader { get; init; }
}

/// <summary>
/// One target's C-state limit: processor.max_cstate (acpi_idle) and, where intel_idle is or could be the
/// driver, intel_idle.max_cstate too, because each driver reads only its own argument and
/// intel_idle.max_cstate=0 alone falls back to acpi_idle with its deep states; plus the runtime
/// cpuidle disable writes on every CPU.
/// </summary>
public sealed class CStateLimitChange
{
    private readonly ITarget target;
    private readonly CStateLimitRequest request;
    private readonly CpuIdle idle;
    private readonly bool invariant;
    private readonly BootFacts facts;
    private readonly BootArgumentPlan boot;

    private CStateLimitChange(ITarget target, CStateLimitRequest request, CpuIdle idle, bool invariant, BootFacts facts, BootArgumentPlan boot, ChangePlan plan)
    {
        this.target = target;
        this.request = request;
        this.idle = idle;
        this.invariant = invariant;
        this.facts = facts;
        this.boot = boot;
        Plan = plan;
    }

    public ChangePlan Plan { get; }

    /// <summary>Set when the limit is probably unnecessary (invariant TSC); the cmdlet writes it as a warning.</summary>
    public string? Warning => invariant && request.MaxCState is not null
        ? $"{target.ComputerName} has an invariant TSC (constant_tsc and nonstop_tsc): deep C-states do not disturb it, so a C-state limit is probably unnecessary and only costs power."
        : null;

    public static async Task<CStateLimitChange> PrepareAsync(ITarget target, CStateLimitRequest request, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        var reader = new BootFactsReader();
        var gathered = await target.GatherAsync(reader.AddTo(CpuIdle.AddTo(TscReader.Request())), cancellationToken).ConfigureAwait(false);
        var tsc = TscReader.Parse(gathered, target.ComputerName);
        var idle = CpuIdle.Parse(gathered);
        var facts = reader.Parse(gathered);
        var loader = BootLoaderDetector.Detect(facts, request.BootLoader, target.ComputerName, "-Runtime");
        var boot = BootArgumentPlanner.Plan(facts, loader, Edit(request, idle, tsc.CpuVendor), utcNow, target.ComputerName);
        var writes = request.MaxCState is int max
            ? request.Runtime ? idle.DeeperThan(max).Where(s => !s.Disabled).Select(s => new SysfsWrite(s.Path + "/disable", "1")).ToList() : []
            : idle.States.Where(s => s.Disabled).Select(s => new SysfsWrite(s.Path + "/disable", "0")).ToList();
        var plan = new ChangePlan { Files = boot.Files, Commands = boot.Commands, GeneratedFiles = boot.GeneratedFiles, SysfsWrites = writes };
        return new CStateLimitChange(target, request, idle, tsc.IsInvariant, facts, boot, plan);
    }

    public CStateLimitResult NotApplied() => Result(facts, applied: false);

    public async Task<CStateLimitResult> ApplyAsync(CancellationToken cancellationToken)
    {
        if (Plan.IsEmpty)
        {
            return Result(facts, applied: true);
        }

        var reader = new BootFactsReader();
        var gathered = await ChangeRunner.ApplyAsync(target, Plan, reader.AddTo(new GatherRequest()), cancellationToken).ConfigureAwait(false);
        var after = reader.Parse(gathered);
        BootChangeReport.VerifyGrubby(boot, after, target.ComputerName);
        return Result(after, applied: true);
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

    private CStateLimitResult Result(BootFacts bootFacts, bool applied)
    {
        string Describe(string path) => IdleStateName(path);
        return new CStateLimitResult
        {
            ComputerName = target.ComputerName,
            MaxCState = request.MaxCState,
            IdleDriver = idle.Driver,
            StatesDisabled = Plan.SysfsWrites.Where(w => w.Value == "1").Select(w => Describe(w.Path)).ToList(),
            StatesEnabled = Plan.SysfsWrites.Where(w => w.Value == "0").Select(w => Describe(w.Path)).ToList(),
            InvariantTsc = invariant,
            Persistent = BootChangeReport.Describe(boot, NextBootReader.Read(bootFacts, boot.Loader).Arguments),
            Changed = applied && !Plan.IsEmpty,
            Applied = applied,
            RebootRequired = BootChangeReport.RebootRequired(bootFacts, boot.Loader),
        };
    }

    // "/sys/devices/system/cpu/cpu3/cpuidle/state2/disable" -> "cpu3/state2 C1E"
    private string IdleStateName(string disablePath)
    {
        var statePath = disablePath[..disablePath.LastIndexOf('/')];
        var state = idle.States.First(s => s.Path == statePath);
        return $"cpu{state.Cpu}/state{state.Index} {state.Name}".TrimEnd();
    }
}
