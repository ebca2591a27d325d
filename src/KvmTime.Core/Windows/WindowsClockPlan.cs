using KvmTime.Changes;

namespace KvmTime.Windows;

/// <summary>A Windows guest's platform-clock change (BCD useplatformclock), decided, as data.</summary>
internal sealed class WindowsClockPlan(WindowsBcdPlan bcd) : IChangePlan
{
    public WindowsBcdPlan Bcd { get; } = bcd ?? throw new ArgumentNullException(nameof(bcd));

    public string ComputerName => Bcd.ComputerName;

    public string Target => Bcd.ComputerName;

    public string Action => $"Use the {Bcd.Clocksource} platform clock";

    public bool IsChange => Bcd.IsChange;

    public bool RestartRequired => false;

    /// <summary>BCD is read at boot.</summary>
    public bool RebootRequired => Bcd.RestartRequired;

    public IReadOnlyList<string> Warnings => [];

    public string Describe() => Bcd.IsChange ? $"# {Bcd.Description}\n# run: {Bcd.BcdeditEquivalent} (through the BCD WMI provider; bcdedit only as fallback)\n" : string.Empty;

    /// <summary>The result of a plan that had nothing to change, or was only shown.</summary>
    public WindowsBcdResult Unchanged() => Bcd.IsChange
        ? new(false, "none", false, null, false, $"{Bcd.ComputerName}: not applied: {Bcd.Description}.")
        : new(false, "none", true, Bcd.Clocksource == "Rtc", false, $"{Bcd.ComputerName} already uses {Bcd.Clocksource}: nothing to change.");
}
