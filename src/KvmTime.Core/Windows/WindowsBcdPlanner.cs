using System.Globalization;
using System.Text.Json;
using KvmTime.Model;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>The BCD change Set-GuestClocksource makes on Windows, decided before anything is written.</summary>
internal sealed record WindowsBcdPlan(
    string ComputerName,
    string Clocksource,
    bool IsChange,
    string Description,
    string BcdeditEquivalent,
    IReadOnlyDictionary<string, object?> Parameters)
{
    /// <summary>The snippet to run with <see cref="Parameters"/> (PSSessionTarget.InvokeAsync).</summary>
    public string Script => WindowsBcdScript.Script;

    /// <summary>BCD is read at boot: every change takes effect after a restart.</summary>
    public bool RestartRequired => IsChange;
}

/// <summary>What the snippet did: through WMI and verified, or through bcdedit (exit code only).</summary>
internal sealed record WindowsBcdResult(bool Changed, string Method, bool Verified, bool? UsePlatformClockAfter, bool RestartRequired, string Note);

/// <summary>
/// Rtc sets useplatformclock (Red Hat's "use the platform clock instead of the TSC": really the
/// HPET or ACPI PM timer); Tsc deletes it, so Windows chooses the TSC (or the Hyper-V reference
/// page when the host gives hypervclock).
/// </summary>
internal static class WindowsBcdPlanner
{
    public static WindowsBcdPlan Plan(WindowsClockInfo current, string clocksource, string computerName)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(clocksource);
        if (!current.BcdRead && current.BcdError?.StartsWith("Access denied", StringComparison.Ordinal) == true)
        {
            throw new KvmTimeException(ErrorIds.BcdAccessDenied, FailureKind.PermissionDenied,
                string.Format(CultureInfo.InvariantCulture, Messages.BcdAccessDeniedReported, computerName, current.BcdError)) { ComputerName = computerName };
        }

        var name = BcdElements.Name(BcdElements.UsePlatformClock);
        if (clocksource.Equals("Rtc", StringComparison.OrdinalIgnoreCase))
        {
            var change = current.UsePlatformClock != true;
            return new WindowsBcdPlan(computerName, "Rtc", change,
                change ? $"Set {name} on {{current}}: QueryPerformanceCounter will use the platform timer (HPET or ACPI PM) instead of the TSC" : $"{name} is already set",
                $"bcdedit /set {{current}} {name} yes",
                Parameters("Set", true));
        }

        if (clocksource.Equals("Tsc", StringComparison.OrdinalIgnoreCase))
        {
            // Unknown (BCD unreadable, WMI missing) is planned as a change; the snippet skips a delete of nothing.
            var change = !current.BcdRead || current.UsePlatformClock is not null;
            return new WindowsBcdPlan(computerName, "Tsc", change,
                change ? $"Delete {name} from {{current}}: Windows chooses the TSC (or the Hyper-V reference TSC page) again" : $"{name} is not set",
                $"bcdedit /deletevalue {{current}} {name}",
                Parameters("Delete", false));
        }

        throw new KvmTimeException(ErrorIds.InvalidClocksource, FailureKind.InvalidArgument,
            string.Format(CultureInfo.InvariantCulture, Messages.InvalidClocksource, clocksource));
    }

    public static WindowsBcdResult ParseResult(string json, WindowsBcdPlan plan)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            return ReadResult(json, plan);
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            throw new KvmTimeException(ErrorIds.BcdResultUnreadable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.BcdResultUnreadable, plan.ComputerName, e.Message), e) { ComputerName = plan.ComputerName };
        }
    }

    private static WindowsBcdResult ReadResult(string json, WindowsBcdPlan plan)
    {
        using var document = JsonDocument.Parse(json.Trim());
        var root = document.RootElement;
        var method = root.GetProperty("Method").GetString() ?? "WMI";
        var done = root.GetProperty("Done").GetBoolean();
        var code = root.GetProperty("ErrorCode").ValueKind == JsonValueKind.String ? root.GetProperty("ErrorCode").GetString() : null;
        var error = root.GetProperty("Error").ValueKind == JsonValueKind.String ? root.GetProperty("Error").GetString() : null;
        if (!done)
        {
            throw Failed(plan, method, code, error, root.GetProperty("ExitCode"));
        }

        if (method == "bcdedit")
        {
            return new WindowsBcdResult(true, method, false, null, true,
                $"The BCD WMI provider is not available ({code}), so `{plan.BcdeditEquivalent}` was run; it exited 0. bcdedit's output is localized, so the value was not read back.");
        }

        bool? Value(string property) => root.GetProperty(property).ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };
        var before = Value("Before");
        var after = Value("After");
        var expected = plan.Clocksource == "Rtc" ? (bool?)true : null;
        if (after != expected)
        {
            throw new KvmTimeException(ErrorIds.BcdNotVerified, FailureKind.InvalidResult,
                string.Format(CultureInfo.InvariantCulture, Messages.BcdNotVerified, plan.ComputerName, after?.ToString() ?? Messages.BcdValueUnset, expected?.ToString() ?? Messages.BcdValueUnset)) { ComputerName = plan.ComputerName };
        }

        var changed = before != after;
        return new WindowsBcdResult(changed, method, true, after, changed, changed
            ? "Written and read back through the BCD WMI provider; restart Windows for it to take effect."
            : "Already as asked; nothing was written.");
    }

    private static Dictionary<string, object?> Parameters(string action, bool value) => new()
    {
        ["Action"] = action,
        ["Element"] = BcdElements.UsePlatformClock,
        ["Name"] = BcdElements.Name(BcdElements.UsePlatformClock),
        ["Value"] = value,
    };

    private static KvmTimeException Failed(WindowsBcdPlan plan, string method, string? code, string? error, JsonElement exitCode) => code switch
    {
        "AccessDenied" => new KvmTimeException(ErrorIds.BcdAccessDenied, FailureKind.PermissionDenied,
            string.Format(CultureInfo.InvariantCulture, Messages.BcdAccessDenied, plan.ComputerName)) { ComputerName = plan.ComputerName },
        "BcdeditNotFound" => new KvmTimeException(ErrorIds.BcdUnavailable, FailureKind.ResourceUnavailable,
            string.Format(CultureInfo.InvariantCulture, Messages.BcdUnavailable, plan.ComputerName, error)) { ComputerName = plan.ComputerName },
        _ when method == "bcdedit" => new KvmTimeException(ErrorIds.BcdeditFailed, FailureKind.InvalidOperation,
            string.Format(CultureInfo.InvariantCulture, Messages.BcdeditFailed, plan.ComputerName, plan.BcdeditEquivalent, exitCode)) { ComputerName = plan.ComputerName },
        _ => new KvmTimeException(ErrorIds.BcdWriteFailed, FailureKind.InvalidOperation,
            string.Format(CultureInfo.InvariantCulture, Messages.BcdWriteFailed, plan.ComputerName, code ?? Messages.BcdNoErrorCode, error)) { ComputerName = plan.ComputerName },
    };
}
