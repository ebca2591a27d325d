namespace KvmTime.Targets;

/// <summary>The operating system family a target runs.</summary>
internal enum TargetOs
{
    Unknown,
    Linux,
    Windows,
}

/// <summary>The result of one command run on a target.</summary>
internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// A machine the module works on: the local one, one reached by SSH, or one behind a PowerShell
/// session. Cmdlets see only this, so every cmdlet works on every kind of target.
/// </summary>
internal interface ITarget
{
    /// <summary>The name that goes into every output object's ComputerName.</summary>
    string ComputerName { get; }

    TargetOs Os { get; }

    /// <summary>Collects every input of <paramref name="request"/> in one round trip.</summary>
    Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken);

    /// <summary>Runs a POSIX sh script; <paramref name="standardInput"/> is passed on stdin, never on a command line.</summary>
    Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken);
}
