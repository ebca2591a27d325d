using KvmTime.Linux;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>The host-first guard of every sync that copies a KVM host's time to its guests.</summary>
internal static class HostClockGuard
{
    /// <summary>
    /// Reads the host's time daemon (one round trip). Not synchronized: HostNotSynchronized, unless
    /// <paramref name="force"/> (then a warning). Unknown: a warning. Returns the verdict.
    /// </summary>
    public static async Task<HostClockVerdict> CheckAsync(ITarget host, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var verdict = HostClockCheck.Judge(await host.GatherAsync(HostClockCheck.Request(), cancellationToken).ConfigureAwait(false), host.ComputerName);
        switch (verdict.State)
        {
            case HostClockState.NotSynchronized when !force:
                throw NotSynchronized(host.ComputerName, verdict);
            case HostClockState.NotSynchronized:
                TargetLog.Warning(host.ComputerName, $"-Force: copying the host's time although {verdict.Explanation}");
                break;
            case HostClockState.Unknown:
                TargetLog.Warning(host.ComputerName, verdict.Explanation);
                break;
            default:
                TargetLog.Verbose(host.ComputerName, verdict.Explanation);
                break;
        }

        return verdict;
    }

    public static KvmTimeException NotSynchronized(string computerName, HostClockVerdict verdict) =>
        new(ErrorIds.HostNotSynchronized, FailureKind.InvalidOperation, verdict.Explanation) { ComputerName = computerName };
}
