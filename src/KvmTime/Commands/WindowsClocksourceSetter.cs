using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Commands;

/// <summary>
/// Set-GuestClocksource on a Windows guest: Rtc sets BCD useplatformclock (the platform timer,
/// HPET or ACPI PM), Tsc deletes it. Written through the BCD WMI provider, bcdedit only as fallback.
/// </summary>
internal static class WindowsClocksourceSetter
{
    public static async Task<WindowsBcdPlan> PlanAsync(ITarget target, string clocksource, CancellationToken cancellationToken)
    {
        var facts = await WindowsTargets.FactsAsync(target, cancellationToken).ConfigureAwait(false);
        var (_, windows) = WindowsClockParser.Clocksource(facts, target.ComputerName);
        return WindowsBcdPlanner.Plan(windows, clocksource, target.ComputerName);
    }

    public static async Task<WindowsBcdResult> ApplyAsync(ITarget target, WindowsBcdPlan plan, CancellationToken cancellationToken)
    {
        var json = await WindowsTargets.InvokeAsync(target, plan.Script, plan.Parameters, cancellationToken).ConfigureAwait(false);
        return WindowsBcdPlanner.ParseResult(json, plan);
    }

    public static WindowsBcdResult Unchanged(WindowsBcdPlan plan) =>
        new(false, "none", true, plan.Clocksource == "Rtc", false, $"{plan.ComputerName} already uses {plan.Clocksource}: nothing to change.");
}
