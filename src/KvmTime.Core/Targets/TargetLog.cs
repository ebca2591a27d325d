namespace KvmTime.Targets;

/// <summary>Where a target's diagnostics go: a cmdlet's verbose and warning streams.</summary>
internal sealed record TargetLogSink(Action<string> Verbose, Action<string> Warning);

/// <summary>
/// The diagnostics sink of the cmdlet call that is using a target right now. It flows with the
/// async call (AsyncLocal), because one session serves several cmdlets and runspaces and each
/// call's -Verbose is its own. Never log a secret: these lines reach transcripts.
/// </summary>
internal static class TargetLog
{
    private static readonly AsyncLocal<TargetLogSink?> CurrentSink = new();

    public static TargetLogSink? Current
    {
        get => CurrentSink.Value;
        set => CurrentSink.Value = value;
    }

    public static void Verbose(string computerName, string text) => CurrentSink.Value?.Verbose($"{computerName}: {text}");

    public static void Warning(string computerName, string text) => CurrentSink.Value?.Warning($"{computerName}: {text}");
}
