using KvmTime.Health;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>A target's health, and what could not be checked (for warnings).</summary>
internal sealed record HealthCheckResult(KvmTimeHealth Health, IReadOnlyList<string> Warnings);

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
            return new HealthCheckResult(WindowsHealthRules.Evaluate(WindowsHealthScript.Parse(text, name), name, fix, DateTime.UtcNow), []);
        }

        var gather = new LinuxHealthGather();
        var gathered = await target.GatherAsync(gather.Request(), cancellationToken).ConfigureAwait(false);
        var facts = gather.Parse(gathered, name);
        var warnings = new List<string>();
        if (facts.DomainsError is { } error)
        {
            warnings.Add($"the domains' clocks and agents were not checked: {error}");
        }

        var health = HealthReport.Linux(facts, fix, DateTime.UtcNow, warnings);
        return new HealthCheckResult(health, warnings.Select(w => $"{name}: {w}").ToList());
    }
}
