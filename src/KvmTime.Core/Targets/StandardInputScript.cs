namespace KvmTime.Targets;

/// <summary>
/// Gives a script its standard input inside the script itself: a single-quoted printf (a shell
/// builtin, so the text is never a process argument) piped into the script's subshell. The
/// bytes arrive exactly, without the newline a here-document would add.
/// </summary>
internal static class StandardInputScript
{
    public static string Feed(string script, string standardInput)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(standardInput);
        return "printf '%s' " + ShellQuote.Single(standardInput) + " | (\n" + script + "\n)";
    }
}
