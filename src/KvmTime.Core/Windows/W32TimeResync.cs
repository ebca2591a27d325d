using System.Globalization;

namespace KvmTime.Windows;

/// <summary>
/// `w32tm /resync /force` on a Windows guest. Its text is localized, so success is its exit code,
/// printed by the snippet on the first line; the rest is the message, kept for the user.
/// </summary>
internal static class W32TimeResync
{
    public const string Script = "$out = w32tm /resync /force 2>&1; \"$LASTEXITCODE`n\" + ($out -join \"`n\")";

    public static (int ExitCode, string Message) Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var newline = output.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? output : output[..newline];
        var code = int.TryParse(first.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rc) ? rc : -1;
        return (code, newline < 0 ? string.Empty : output[(newline + 1)..].Trim());
    }
}
