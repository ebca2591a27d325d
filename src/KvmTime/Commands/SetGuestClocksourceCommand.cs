using System.Management.Automation;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Model;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>
/// Switches a Linux guest's clocksource now (sysfs, checked against available_clocksource and read
/// back) and/or for every boot (clocksource=, tsc=reliable, no-kvmclock through the boot loader in use).
/// </summary>
[Cmdlet(VerbsCommon.Set, "GuestClocksource", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SetParameterSet)]
[OutputType(typeof(ClocksourceChangeResult))]
[OutputType(typeof(WindowsBcdResult))]
public sealed class SetGuestClocksourceCommand : ChangeCmdlet
{
    private const string SetParameterSet = "Set";
    private const string RemoveParameterSet = "Remove";
    private const string ResetParameterSet = "Reset";

    private ClocksourceRequest? request;

    /// <summary>The clocksource to use, e.g. kvm-clock, tsc, hpet, acpi_pm.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SetParameterSet, HelpMessage = "The clocksource to use, e.g. kvm-clock, tsc, hpet or acpi_pm.")]
    [ArgumentCompleter(typeof(ClocksourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Clocksource { get; set; } = string.Empty;

    /// <summary>Runtime (now, until reboot), Persistent (kernel arguments for every boot) or Both.</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Runtime (default), Persistent or Both.")]
    public ChangeScope Scope { get; set; } = ChangeScope.Runtime;

    /// <summary>Also set tsc=reliable (persistent only).</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Also set tsc=reliable in the kernel arguments.")]
    public SwitchParameter TscReliable { get; set; }

    /// <summary>Also set no-kvmclock (persistent only).</summary>
    [Parameter(ParameterSetName = SetParameterSet, HelpMessage = "Also set no-kvmclock in the kernel arguments.")]
    public SwitchParameter NoKvmClock { get; set; }

    /// <summary>Removes these boot arguments.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RemoveParameterSet, HelpMessage = "The boot arguments to remove: Clocksource, TscReliable, NoKvmClock.")]
    public ClocksourceBootArgument[] Remove { get; set; } = [];

    /// <summary>Removes clocksource=, tsc=reliable and no-kvmclock, so the kernel chooses by rating again.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResetParameterSet, HelpMessage = "Remove clocksource=, tsc=reliable and no-kvmclock from the kernel arguments.")]
    public SwitchParameter Reset { get; set; }

    /// <summary>Uses this boot loader instead of the one detected.</summary>
    [Parameter(HelpMessage = "Use this boot loader instead of the detected one.")]
    public BootLoaderKind BootLoader { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            request = BuildRequest();
        }
        catch (KvmTimeException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, ErrorMapping.ToCategory(e.Kind), Clocksource));
        }

        base.BeginProcessing();
    }

    protected override async Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken)
    {
        if (await WindowsTargets.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            return await SetWindowsAsync(target, cancellationToken).ConfigureAwait(false);
        }

        var change = await ClocksourceChange.PrepareAsync(target, request!, DateTime.UtcNow, cancellationToken).ConfigureAwait(false);
        return await ConfirmAndApplyAsync(target.ComputerName, "Set the clocksource", change.Plan, change.ApplyAsync, change.NotApplied, cancellationToken).ConfigureAwait(false);
    }

    // On Windows only the platform clock choice exists: -Clocksource Rtc|Tsc; -Reset and -Remove mean Tsc (the default).
    private async Task<IReadOnlyList<object>> SetWindowsAsync(ITarget target, CancellationToken cancellationToken)
    {
        var choice = ParameterSetName == SetParameterSet ? Clocksource : "Tsc";
        var plan = await WindowsClocksourceSetter.PlanAsync(target, choice, cancellationToken).ConfigureAwait(false);
        if (!plan.IsChange)
        {
            return PassThru ? [WindowsClocksourceSetter.Unchanged(plan)] : [];
        }

        if (!await ShouldProcessFromWorker(target.ComputerName, $"{plan.Description} ({plan.BcdeditEquivalent})").ConfigureAwait(false))
        {
            return [];
        }

        var result = await WindowsClocksourceSetter.ApplyAsync(target, plan, cancellationToken).ConfigureAwait(false);
        return PassThru ? [result] : [];
    }

    private ClocksourceRequest BuildRequest()
    {
        var bootLoader = MyInvocation.BoundParameters.ContainsKey(nameof(BootLoader)) ? BootLoader : (BootLoaderKind?)null;
        if (ParameterSetName != SetParameterSet)
        {
            var which = Reset ? Enum.GetValues<ClocksourceBootArgument>() : Remove;
            var remove = which.Distinct().Select(a => a switch
            {
                ClocksourceBootArgument.Clocksource => new KernelArgument("clocksource", null),
                ClocksourceBootArgument.TscReliable => new KernelArgument("tsc", "reliable"),
                _ => new KernelArgument("no-kvmclock", null),
            });
            return new ClocksourceRequest { Scope = ChangeScope.Persistent, Arguments = KernelArgumentEdit.Create([], remove), BootLoader = bootLoader };
        }

        if (!Clocksources.IsValidName(Clocksource))
        {
            throw new KvmTimeException("InvalidClocksourceName", FailureKind.InvalidArgument,
                $"'{Clocksource}' is not a kernel clocksource name (letters, digits, '_', '-' and '.', at most 32 characters). Nothing was changed.");
        }

        if (Scope == ChangeScope.Runtime && (TscReliable || NoKvmClock))
        {
            throw new KvmTimeException("BootArgumentNeedsPersistentScope", FailureKind.InvalidArgument,
                "-TscReliable and -NoKvmClock are boot arguments; add -Scope Persistent or -Scope Both.");
        }

        if (NoKvmClock && Clocksource == "kvm-clock")
        {
            throw new KvmTimeException("ConflictingClocksourceArguments", FailureKind.InvalidArgument,
                "-NoKvmClock removes kvm-clock, so it cannot be combined with -Clocksource kvm-clock.");
        }

        var set = new List<KernelArgument> { new("clocksource", Clocksource) };
        if (TscReliable)
        {
            set.Add(new KernelArgument("tsc", "reliable"));
        }

        if (NoKvmClock)
        {
            set.Add(new KernelArgument("no-kvmclock", null));
        }

        return new ClocksourceRequest { Clocksource = Clocksource, Scope = Scope, Arguments = KernelArgumentEdit.Create(set, []), BootLoader = bootLoader };
    }
}
