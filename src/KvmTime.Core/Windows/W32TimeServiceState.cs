using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>Recognizes w32tm's "service not started" answer in any display language.</summary>
internal static class W32TimeServiceState
{
    /// <summary>
    /// ERROR_SERVICE_NOT_ACTIVE as the HRESULT w32tm prints after its error text in every language
    /// ("The service has not been started. (0x80070426)", "服务尚未启动。 (0x80070426)").
    /// </summary>
    private const string ServiceNotActive = "(0x80070426)";

    /// <summary>The line of w32tm's output that says the service is not started, or null.</summary>
    public static string? ErrorLine(IEnumerable<string> lines) =>
        lines.FirstOrDefault(l => l.Contains(ServiceNotActive, StringComparison.OrdinalIgnoreCase));

    /// <summary>W32TimeServiceNotRunning when one of the lines is that error, else null.</summary>
    public static KvmTimeException? NotRunning(IEnumerable<string> lines, string computerName, string command)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var error = ErrorLine(lines);
        return error is null ? null : new KvmTimeException(ErrorIds.W32TimeServiceNotRunning, FailureKind.ResourceUnavailable,
            string.Format(CultureInfo.InvariantCulture, Messages.W32TimeServiceNotRunning, computerName, command, error)) { ComputerName = computerName };
    }
}
