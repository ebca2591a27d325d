using System.Globalization;
using System.Text.Json;
using KvmTime.Resources;

namespace KvmTime.Host;

/// <summary>What guest-info says: the agent version and which commands it offers and has enabled.</summary>
internal sealed class GuestAgentInfo
{
    private readonly Dictionary<string, bool> commands;

    private GuestAgentInfo(string version, Dictionary<string, bool> commands)
    {
        Version = version;
        this.commands = commands;
    }

    public string Version { get; }

    /// <summary>Parses the "return" object of guest-info; any other shape is AgentProtocolError naming <paramref name="where"/>.</summary>
    public static GuestAgentInfo Parse(JsonElement info, string where)
    {
        if (info.ValueKind != JsonValueKind.Object)
        {
            throw GuestAgentFailures.ProtocolError(where, string.Format(CultureInfo.InvariantCulture, Messages.AgentInfoNotObject, Shorten(info.GetRawText())));
        }

        var version = info.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "unknown";
        var commands = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (info.TryGetProperty("supported_commands", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var command in list.EnumerateArray())
            {
                if (command.ValueKind == JsonValueKind.Object && command.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    // An agent that omits "enabled" offers the command (older qemu-ga builds).
                    var enabled = !command.TryGetProperty("enabled", out var e) || e.ValueKind != JsonValueKind.False;
                    commands[name.GetString()!] = enabled;
                }
            }
        }

        return new GuestAgentInfo(version, commands);
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    /// <summary>Null when the command can run; otherwise why it cannot.</summary>
    public string? WhyUnavailable(string command) =>
        !commands.TryGetValue(command, out var enabled) ? $"qemu-ga {Version} does not offer it"
        : !enabled ? $"it is disabled in qemu-ga {Version}"
        : null;
}
