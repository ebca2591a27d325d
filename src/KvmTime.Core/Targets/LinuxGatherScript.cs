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
            script.Append('(').Append(Body(item)).Append(") 2>/dev/null\n");
            script.Append(CultureInfo.InvariantCulture, $"printf '\\n%s %s\\n' '{Prefix}:{nonce}:END:{item.Key}' \"$?\"\n");
        }

        return script.ToString();
    }

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
