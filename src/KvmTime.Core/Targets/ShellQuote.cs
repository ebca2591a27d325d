namespace KvmTime.Targets;

/// <summary>POSIX shell quoting: every value that reaches a remote shell goes through here.</summary>
internal static class ShellQuote
{
    /// <summary>Single-quotes a value so that sh takes it literally, whatever it contains.</summary>
    public static string Single(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A shell argument cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
