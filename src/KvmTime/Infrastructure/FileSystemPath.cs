using System.Globalization;
using System.Management.Automation;
using KvmTime.Resources;
using KvmTime.Targets;
using Microsoft.PowerShell.Commands;

namespace KvmTime;

/// <summary>Resolves a -Path the way PowerShell's own file cmdlets do (relative to the current location, ~ and PSDrives), and refuses one that is not on the file system.</summary>
internal static class FileSystemPath
{
    public static string Resolve(SessionState state, string path)
    {
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            var full = state.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            return provider.ImplementingType == typeof(FileSystemProvider) ? full
                : throw new KvmTimeException(ErrorIds.MetricPathNotFileSystem, FailureKind.InvalidArgument,
                    string.Format(CultureInfo.InvariantCulture, Messages.MetricPathNotFileSystem, path, provider.Name));
        }
        catch (SessionStateException e)
        {
            throw new KvmTimeException(ErrorIds.MetricPathNotFileSystem, FailureKind.InvalidArgument, e.Message, e);
        }
    }
}
