using System.Globalization;
using System.Text.Json;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The virsh command lines KvmTime runs on a KVM host, and the parsers for what they print. The
/// domain and URI are validated by <see cref="LibvirtNames"/> and single-quoted; stderr is merged
/// into stdout so that failures can be classified by <see cref="VirshFailures"/>.
/// </summary>
internal static class VirshCommands
{
    /// <summary>Every virsh call is bounded, so a hung agent cannot hang the cmdlet.</summary>
    public const int TimeoutSeconds = 20;

    public static string DomState(string uri, string domain) => $"{Virsh(uri)} domstate --domain {ShellQuote.Single(domain)} 2>&1";

    public static string GuestInfo(string uri, string domain) => AgentCommand(uri, domain, """{"execute":"guest-info"}""");

    /// <summary>
    /// guest-set-time with the host's clock in nanoseconds, read on the host just before the call,
    /// plus <paramref name="leadNanoseconds"/> to cover the latency until the guest applies it.
    /// Not 'virsh domtime --now': virsh passes time(NULL) with 0 ns, so that leaves the guest up to 1 s behind.
    /// </summary>
    public static string SetTimeToHostNow(string uri, string domain, long leadNanoseconds) =>
        string.Create(CultureInfo.InvariantCulture, $"t=$(( $(date +%s%N) + {leadNanoseconds} )); ")
        + $"{Virsh(uri)} qemu-agent-command --domain {ShellQuote.Single(domain)} " + "\"{\\\"execute\\\":\\\"guest-set-time\\\",\\\"arguments\\\":{\\\"time\\\":$t}}\" 2>&1";

    public static string ListRunning(string uri) => $"{Virsh(uri)} list --state-running --name 2>&1";

    /// <summary>
    /// guest-get-time (nanoseconds, unlike domtime's whole seconds) between two readings of the
    /// host clock taken on the host itself, so a remote control node's own clock never enters the offset.
    /// </summary>
    public static string TimedGuestTime(string uri, string domain) =>
        "a=$(date +%s%N); out=$(" + AgentCommand(uri, domain, """{"execute":"guest-get-time"}""") + "); rc=$?; b=$(date +%s%N)\n"
        + "printf '%s %s\\n%s\\n' \"$a\" \"$b\" \"$out\"; exit $rc";

    /// <summary>The exact command shown by -WhatIf for a host-side sync.</summary>
    public static string SetActionText(string uri, string domain) =>
        $"virsh -c {uri} qemu-agent-command --domain {domain} '{{\"execute\":\"guest-set-time\",\"arguments\":{{\"time\":<host time in ns>}}}}'";

    public static IReadOnlyList<string> ParseNames(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Parses TimedGuestTime's output: the two host readings, then virsh's {"return":ns}.</summary>
    public static GuestClockSample? ParseTimedGuestTime(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var lines = output.Split('\n', 2);
        var hostTimes = lines[0].Split(' ');
        if (lines.Length < 2 || hostTimes.Length != 2
            || !long.TryParse(hostTimes[0], NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            || !long.TryParse(hostTimes[1], NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            return null;
        }

        try
        {
            using var reply = JsonDocument.Parse(lines[1]);
            return reply.RootElement.ValueKind == JsonValueKind.Object && reply.RootElement.TryGetProperty("return", out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var guest)
                ? new GuestClockSample(guest, before, after)
                : null;
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            return null;
        }
    }

    private static string Virsh(string uri) => $"LC_ALL=C timeout {TimeoutSeconds} virsh -q -c {ShellQuote.Single(uri)}";

    private static string AgentCommand(string uri, string domain, string json) =>
        $"{Virsh(uri)} qemu-agent-command --domain {ShellQuote.Single(domain)} {ShellQuote.Single(json)} 2>&1";
}
