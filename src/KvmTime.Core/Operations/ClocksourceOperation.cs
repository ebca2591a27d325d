using KvmTime.Changes;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>
/// Set-GuestClocksource: on Linux the sysfs write and/or the boot arguments, in one gather and one
/// apply script that ends with the verifying re-read; on Windows the platform clock (BCD).
/// </summary>
internal sealed class ClocksourceOperation(ClocksourceRequest request, string windowsClocksource, DateTime utcNow) : IChangeOperation
{
    private readonly WindowsPlatformClockOperation windows = new(windowsClocksource);

    public async Task<IReadOnlyList<PreparedChange>> PrepareAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (await WindowsShell.IsWindowsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            return await windows.PrepareAsync(target, cancellationToken).ConfigureAwait(false);
        }

        var reader = new BootFactsReader();
        var gathered = await target.GatherAsync(ClocksourcePlanner.Request(request, reader), cancellationToken).ConfigureAwait(false);
        return PreparedChange.One(ClocksourcePlanner.Plan(request, reader, gathered, utcNow, target.ComputerName));
    }

    public async Task<object> ApplyAsync(ITarget target, IChangePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (plan is not ClocksourcePlan linux)
        {
            return await windows.ApplyAsync(target, plan, cancellationToken).ConfigureAwait(false);
        }

        if (!linux.IsChange)
        {
            return ClocksourcePlanner.Unchanged(linux, applied: true);
        }

        var reader = new BootFactsReader();
        var gathered = await ChangeRunner.ApplyAsync(target, linux.Changes, ClocksourcePlanner.Request(linux.Request, reader), cancellationToken).ConfigureAwait(false);
        return ClocksourcePlanner.Verified(linux, reader, gathered);
    }

    public object NotApplied(IChangePlan plan) =>
        plan is ClocksourcePlan linux ? ClocksourcePlanner.Unchanged(linux, applied: false) : windows.NotApplied(plan);
}
