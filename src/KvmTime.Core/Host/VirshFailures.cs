using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>Turns virsh's error text into the specific KvmTime error for that situation.</summary>
internal static class VirshFailures
{
    /// <summary>The error that virsh's output and exit code describe.</summary>
    public static KvmTimeException Classify(string output, int exitCode, string computerName, string domain)
    {
        ArgumentNullException.ThrowIfNull(output);
        var where = string.Format(CultureInfo.InvariantCulture, Messages.DomainOnComputer, computerName, domain);
        var text = output.Trim();
        KvmTimeException failure =
            exitCode == 127 || text.Contains("virsh: not found", StringComparison.Ordinal)
                ? new(ErrorIds.VirshNotFound, FailureKind.ObjectNotFound, string.Format(CultureInfo.InvariantCulture, Messages.VirshNotFound, computerName))
            : exitCode == 124
                ? GuestAgentFailures.Timeout(where, "virsh", TimeSpan.FromSeconds(VirshCommands.TimeoutSeconds))
            : Has(text, "failed to get domain") || Has(text, "Domain not found")
                ? new(ErrorIds.DomainNotFound, FailureKind.ObjectNotFound, string.Format(CultureInfo.InvariantCulture, Messages.DomainNotFound, where))
            : Has(text, "domain is not running")
                ? new(ErrorIds.DomainNotRunning, FailureKind.ResourceUnavailable, string.Format(CultureInfo.InvariantCulture, Messages.DomainNotRunning, where, domain))
            : Has(text, "QEMU guest agent is not configured")
                ? GuestAgentFailures.NotConfigured(where)
            : Has(text, "guest agent is not connected")
                ? GuestAgentFailures.NotConnected(where, Messages.AgentLibvirtNotConnected)
            : Has(text, "not available for now") || Has(text, "Guest agent is not responding")
                ? GuestAgentFailures.Timeout(where, Messages.AgentVirshCommand, TimeSpan.FromSeconds(5))
            : Has(text, "not currently supported") || Has(text, "has not been found")
                ? GuestAgentFailures.CommandUnsupported(where, "guest-set-time", text)
            : Has(text, "failed to connect to the hypervisor")
                ? new(ErrorIds.LibvirtUnavailable, FailureKind.ConnectionError, string.Format(CultureInfo.InvariantCulture, Messages.LibvirtUnavailable, computerName, FirstLine(text)))
            : Has(text, "authentication") || Has(text, "Permission denied")
                ? new(ErrorIds.LibvirtAccessDenied, FailureKind.PermissionDenied, string.Format(CultureInfo.InvariantCulture, Messages.LibvirtAccessDenied, computerName, FirstLine(text)))
            : new(ErrorIds.VirshFailed, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.VirshFailed, where, exitCode, FirstLine(text)));
        return new KvmTimeException(failure.ErrorId, failure.Kind, failure.Message) { ComputerName = computerName };
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no output";
        return line.StartsWith("error: ", StringComparison.Ordinal) ? line[7..] : line;
    }
}
