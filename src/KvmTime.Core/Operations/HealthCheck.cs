using KvmTime.Health;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>A target's health, and what could not be checked (for a warning).</summary>
internal sealed record HealthCheckResult(KvmTimeHealth Health, string? Warning);

/// <summary>
/// Test-KvmTimeHealth on one target, in one round trip: one combined gather on Linux (and a KVM host's
/// domains), one PowerShell snippet on Windows; then the pure rules of the Health folder.
/// </summary>
internal static class HealthCheck
{
    public static async Task<HealthCheckResult> CheckAsync(ITarget target, FixCommand fix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var name = target.ComputerName;
        if (await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            var text = await WindowsShell.InvokeAsync(target, WindowsHealthScript.Script, null, cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(WindowsHealthRules.Evaluate(WindowsHealthScript.Parse(text, name), name, fix, DateTime.UtcNow), null);
        }

        var gather = new LinuxHealthGather();
        var gathered = await target.GatherAsync(gather.Request(), cancellationToken).ConfigureAwait(false);
        var facts = gather.Parse(gathered, name);
        var warning = facts.DomainsError is { } error ? $"{name}: the domains' clocks and agents were not checked: {error}" : null;
        return new HealthCheckResult(HealthReport.Linux(facts, fix, DateTime.UtcNow), warning);
    }
}
