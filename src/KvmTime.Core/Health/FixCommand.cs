using System.Text.RegularExpressions;

namespace KvmTime.Health;

/// <summary>
/// Writes a finding's Fix: a command line of this module that runs as written, addressed to the
/// target the way it was checked (<see cref="TargetArguments"/>, e.g. "-ComputerName g1 -UserName ops").
/// </summary>
internal sealed partial class FixCommand(string targetArguments)
{
    /// <summary>The parameters that reach the checked target again; empty for the local machine.</summary>
    public string TargetArguments { get; } = targetArguments ?? string.Empty;

    /// <summary>"Verb-Noun [target] -Name value ..." with every value quoted when PowerShell needs it.</summary>
    public string For(string command, params (string Name, string? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var parts = new List<string> { command };
        if (TargetArguments.Length > 0)
        {
            parts.Add(TargetArguments);
        }

        foreach (var (name, value) in parameters)
        {
            parts.Add("-" + name);
            if (value is not null)
            {
                parts.Add(Quote(value));
            }
        }

        return string.Join(' ', parts);
    }

    /// <summary>A value as a PowerShell argument: bare when it is plain, else single-quoted ('' inside).</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Plain().IsMatch(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    // Letters, digits and . _ - : / ~ (not leading '-') and commas between such words (a PowerShell array): nothing the parser reads specially.
    [GeneratedRegex(@"^[A-Za-z0-9_./~][A-Za-z0-9._:/~\-]*(,[A-Za-z0-9_./~][A-Za-z0-9._:/~\-]*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
