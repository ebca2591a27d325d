using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Operations;

/// <summary>Reaches Windows machines: through their PSSession, or in a fresh runspace when this machine is Windows.</summary>
internal static class WindowsShell
{
    private static readonly IReadOnlyDictionary<string, object?> NoParameters = new Dictionary<string, object?>();

    /// <summary>Runs snippets on this machine when it is Windows; set by the cmdlet project when the module loads.</summary>
    public static IPowerShellRunner? Local { get; set; }

    public static async Task<bool> IsWindowsAsync(ITarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target is IPowerShellRunner session
            ? await session.DetectOsAsync(cancellationToken).ConfigureAwait(false) == TargetOs.Windows
            : target.Os == TargetOs.Windows;
    }

    public static async Task<string> InvokeAsync(ITarget target, string script, IReadOnlyDictionary<string, object?>? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var runner = target as IPowerShellRunner ?? Local
            ?? throw new KvmTimeException(ErrorIds.RemoteCommandFailed, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.WindowsRunnerMissing, target.ComputerName)) { ComputerName = target.ComputerName };
        return await runner.InvokeForTextAsync(script, parameters ?? NoParameters, cancellationToken).ConfigureAwait(false)
            ?? throw new KvmTimeException(ErrorIds.RemoteCommandFailed, FailureKind.InvalidOperation, string.Format(CultureInfo.InvariantCulture, Messages.WindowsSnippetSilent, target.ComputerName)) { ComputerName = target.ComputerName };
    }

    /// <summary>The platform-clock facts of a Windows machine (BCD, QPC frequency, Hyper-V CPUID), in one round trip.</summary>
    public static async Task<WindowsClockFacts> FactsAsync(ITarget target, CancellationToken cancellationToken)
    {
        var json = await InvokeAsync(target, WindowsClockScript.Script, null, cancellationToken).ConfigureAwait(false);
        return WindowsClockParser.Parse(json, target.ComputerName);
    }
}
