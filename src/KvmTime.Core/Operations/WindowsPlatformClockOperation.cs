using KvmTime.Changes;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Set-GuestClocksource on a Windows guest: Rtc sets BCD useplatformclock (the platform timer,
/// HPET or ACPI PM), Tsc deletes it. Written through the BCD WMI provider, bcdedit only as fallback.
/// </summary>
internal sealed class WindowsPlatformClockOperation(string clocksource) : IChangeOperation
{
    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var facts = await WindowsShell.FactsAsync(target, cancellationToken).ConfigureAwait(false);
        var (_, windows) = WindowsClockParser.Clocksource(facts, target.ComputerName);
        return PreparedChange.One(new WindowsClockPlan(WindowsBcdPlanner.Plan(windows, clocksource, target.ComputerName)));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        var windows = (WindowsClockPlan)plan;
        if (!windows.IsChange)
        {
            return windows.Unchanged();
        }

        var json = await WindowsShell.InvokeAsync(target, windows.Bcd.Script, windows.Bcd.Parameters, cancellationToken).ConfigureAwait(false);
        return WindowsBcdPlanner.ParseResult(json, windows.Bcd);
    }

    public object NotApplied(IChangePlan plan) => ((WindowsClockPlan)plan).Unchanged();
}
