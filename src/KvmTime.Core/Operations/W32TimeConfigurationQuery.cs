using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>
/// Reads a Windows guest's w32time configuration beside its status, with the values Group Policy sets
/// (one round trip). The configuration adds to the
/// report; when it cannot be read, the status still stands and the reason travels with it.
/// </summary>
internal static class W32TimeConfigurationQuery
{
    public static async Task<(W32TimeClientSettings? Settings, string? Error)> ReadAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var output = await WindowsShell.InvokeAsync(target, W32TimePolicyValues.Script, null, cancellationToken).ConfigureAwait(false);
        var (text, policyValues) = W32TimePolicyValues.Split(output);
        try
        {
            return (W32TimeClientSettingsReader.Read(W32TimeConfigurationParser.Parse(text, target.ComputerName), target.ComputerName, policyValues), null);
        }
        catch (KvmTimeException e) when (e.ErrorId is ErrorIds.W32TimeConfigurationUnreadable or ErrorIds.W32TimeServiceNotRunning)
        {
            return (null, $"{e.Message} [{e.ErrorId}]");
        }
    }
}
