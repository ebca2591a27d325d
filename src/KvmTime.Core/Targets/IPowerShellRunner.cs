namespace KvmTime.Targets;

/// <summary>
/// Runs KvmTime's PowerShell snippets on a machine (a PSSession, or this Windows machine); each
/// snippet prints one JSON line that a parser in Windows/ reads. Implemented in the cmdlet project,
/// because KvmTime.Core has no PowerShell reference.
/// </summary>
internal interface IPowerShellRunner
{
    /// <summary>Which OS the machine runs; asked once per session.</summary>
    Task<TargetOs> DetectOsAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="script"/> with named parameters and returns its last output line, or null when it wrote nothing.</summary>
    Task<string?> InvokeForTextAsync(string script, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken);
}
