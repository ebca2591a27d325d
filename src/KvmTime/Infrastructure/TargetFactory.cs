using KvmTime.Ssh;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The only place that touches the SSH transport's types. It is first called after import, when
/// ModuleInitializer already routes KvmTime.Ssh into the private AssemblyLoadContext.
/// </summary>
internal static class TargetFactory
{
    public static ITarget Ssh(SshConnectionOptions options) => new SshTarget(options);

    public static async Task<ITarget> ConnectedSshAsync(SshConnectionOptions options, CancellationToken cancellationToken)
    {
        var target = new SshTarget(options);
        try
        {
            await target.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
