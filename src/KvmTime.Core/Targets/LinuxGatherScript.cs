using System.Globalization;
using System.Text;

namespace KvmTime.Targets;

/// <summary>
/// Turns a <see cref="GatherRequest"/> into one POSIX sh snippet whose output carries every input
/// between markers, and parses that output back. The nonce keeps file content from forging a marker.
/// </summary>
internal static class LinuxGatherScript
{
    private const string Prefix = "@@KVMTIME";

    public static string NewNonce() => Guid.NewGuid().ToString("N")[..12];

    public static string Build(GatherRequest request, string nonce)
    {
        ArgumentNullException.ThrowIfNull(request);
        var script = new StringBuilder();
        foreach (var item in request.Items)
        {
            script.Append(CultureInfo.InvariantCulture, $"printf '%s\\n' '{Prefix}:{nonce}:BEGIN:{item.Key}'\n");
            script.Append(Read(item)).Append('\n');
            script.Append(CultureInfo.InvariantCulture, $"printf '\\n%s %s\\n' '{Prefix}:{nonce}:END:{item.Key}' \"$?\"\n");
        }

        return script.ToString();
    }

    // A subshell per item keeps a command's cd, exit or set -e to itself; a kernel attribute is read
    // with the shell's own builtins instead, with no process at all (fewer forks on every target).
    private static string Read(GatherItem item) => item.Kind == GatherItemKind.File && IsPageBounded(item.Text)
        ? "{ " + BuiltinReadBody + "; } 2>/dev/null <" + ShellQuote.Single(item.Text)
        : "(" + Body(item) + ") 2>/dev/null";

    /// <summary>
    /// Copies stdin to stdout with POSIX builtins only (dash, busybox ash, bash), byte for byte for
    /// text: a last line without a newline stays without one. 'read' takes a byte per system call, so
    /// this is only for files the kernel bounds to a page; a file that cannot be opened fails the
    /// redirection (exit status not 0), as cat would. A read error after the open ends the text
    /// early with status 0, where cat would fail.
    /// </summary>
    internal const string BuiltinReadBody =
        "kt_l=; while IFS= read -r kt_l; do printf '%s\\n' \"$kt_l\"; done; [ -z \"$kt_l\" ] || printf '%s' \"$kt_l\"";

    // sysfs attributes are at most a page (the kernel's show() fills one page buffer) and so is
    // /proc/cmdline (COMMAND_LINE_SIZE is 4096 or less); everything else may be large: cat reads it.
    private static bool IsPageBounded(string path) =>
        (path.StartsWith("/sys/", StringComparison.Ordinal) && !path.Contains("/../", StringComparison.Ordinal)) || path == "/proc/cmdline";

    private static string Body(GatherItem item) => item.Kind switch
    {
        GatherItemKind.File => "cat -- " + ShellQuote.Single(item.Text),
        GatherItemKind.FileFirstBlock => "sed -n '1,/^$/p' -- " + ShellQuote.Single(item.Text),
        _ => item.Text,
    };

    /// <summary>Parses the snippet's output. Items whose END marker never came are reported with exit code -1.</summary>
    public static GatherResult Parse(string output, string nonce)
    {
        ArgumentNullException.ThrowIfNull(output);
        var begin = $"{Prefix}:{nonce}:BEGIN:";
        var end = $"{Prefix}:{nonce}:END:";
        var values = new List<GatherValue>();
        string? key = null;
        var body = new StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(begin, StringComparison.Ordinal))
            {
                key = line[begin.Length..];
                body.Clear();
            }
            else if (key is not null && line.StartsWith(end + key + " ", StringComparison.Ordinal))
            {
                var code = int.TryParse(line.AsSpan(end.Length + key.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rc) ? rc : -1;
                // The snippet adds one newline before END; drop it so the text is exactly what was read.
                var text = body.Length > 0 ? body.ToString(0, body.Length - 1) : string.Empty;
                values.Add(new GatherValue(key, text, code));
                key = null;
            }
            else if (key is not null)
            {
                body.Append(line).Append('\n');
            }
        }

        if (key is not null)
        {
            values.Add(new GatherValue(key, body.ToString(), -1));
        }

        return new GatherResult(values);
    }
}
