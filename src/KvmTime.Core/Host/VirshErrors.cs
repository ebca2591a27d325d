using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>Turns a failed virsh call (LC_ALL=C, stderr included) into an error that says what to do next.</summary>
public static class VirshErrors
{
    public static KvmTimeException Classify(string computerName, string domain, string uri, int exitCode, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = output.Trim();
        if (exitCode == 127 || text.Contains("virsh: not found", StringComparison.Ordinal) || text.Contains("command not found", StringComparison.Ordinal))
        {
            return new KvmTimeException("VirshNotFound", FailureKind.ObjectNotFound,
                $"{computerName} has no virsh. Point -ComputerName at the KVM host, or install libvirt-clients there.") { ComputerName = computerName };
        }

        if (text.Contains("failed to get domain", StringComparison.Ordinal) || text.Contains("Domain not found", StringComparison.Ordinal))
        {
            return new KvmTimeException("DomainNotFound", FailureKind.ObjectNotFound,
                $"{computerName}: libvirt ({uri}) has no domain '{domain}'. List them with 'virsh -c {uri} list --all --name'.") { ComputerName = computerName };
        }

        if (text.Contains("failed to connect to the hypervisor", StringComparison.Ordinal))
        {
            return new KvmTimeException("LibvirtUnavailable", FailureKind.ConnectionError,
                $"{computerName}: virsh could not connect to {uri} ({FirstLine(text)}). Check that libvirtd runs and that the user may use it (-UseSudo).") { ComputerName = computerName };
        }

        if (text.Contains("ermission denied", StringComparison.Ordinal) || text.Contains("authentication", StringComparison.OrdinalIgnoreCase))
        {
            return new KvmTimeException("LibvirtPermissionDenied", FailureKind.PermissionDenied,
                $"{computerName}: {FirstLine(text)}. Connect as root or with -UseSudo.") { ComputerName = computerName };
        }

        return new KvmTimeException("VirshFailed", FailureKind.InvalidOperation,
            $"{computerName}: virsh failed for domain '{domain}' (exit {exitCode}): {FirstLine(text)}") { ComputerName = computerName };
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal))
        ?? text.Split('\n').FirstOrDefault() ?? string.Empty;
}
