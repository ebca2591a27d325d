namespace KvmTime.Targets;

/// <summary>
/// Wraps a script for sudo. The password, when there is one, is the first line of stdin for
/// 'sudo -S', so it never appears on a command line, in a process list or in verbose output.
/// </summary>
public static class SudoWrapper
{
    public static (string Command, string? StandardInput) Wrap(string script, string? password, string? standardInput)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (password is null)
        {
            // -n: fail at once instead of waiting for a password nobody will type.
            return ("sudo -n -- sh -c " + ShellQuote.Single(script), standardInput);
        }

        if (password.Contains('\n', StringComparison.Ordinal) || password.Contains('\r', StringComparison.Ordinal))
        {
            throw new KvmTimeException("InvalidSudoPassword", FailureKind.InvalidArgument, "A sudo password cannot contain a line break.");
        }

        return ("sudo -S -p '' -- sh -c " + ShellQuote.Single(script), password + "\n" + (standardInput ?? string.Empty));
    }
}
