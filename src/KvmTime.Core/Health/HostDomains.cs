using KvmTime.Host;
using KvmTime.Linux.Boot;
using KvmTime.Targets;

namespace KvmTime.Health;

/// <summary>
/// One running domain: its persistent definition (what Set-KvmDomainClock edits and the next start
/// gets) and its live XML (the state of its devices now, such as whether the agent is connected).
/// </summary>
internal sealed record RunningDomain(string Name, string DefinitionXml, string LiveXml);

/// <summary>
/// The XML of every running domain of a KVM host, in the same round trip as the rest: virsh list, then
/// dumpxml --inactive and dumpxml per domain, each framed like <see cref="FileSet"/> frames files.
/// </summary>
internal static class HostDomains
{
    public const string Key = "domains";

    private const string Definition = "inactive/";
    private const string Live = "live/";

    /// <summary>Exits 127 without virsh and with virsh's status when listing fails, so "no domains" is never guessed.</summary>
    public static string Command(string nonce) =>
        "PATH=\"$PATH:/usr/sbin:/sbin\"; command -v virsh >/dev/null 2>&1 || exit 127; "
        + $"v(){{ LC_ALL=C timeout {VirshCommands.TimeoutSeconds} virsh -q -c {ShellQuote.Single(LibvirtNames.DefaultUri)} \"$@\"; }}; "
        // virsh's stderr joins the output outside the frames, where it is ignored on success and is
        // the reason (libvirtd not running, no permission) on failure, without running virsh twice.
        + "{ names=$(v list --state-running --name 2>&3) || exit $?; } 3>&1; "
        + "printf '%s\\n' \"$names\" | while IFS= read -r d; do [ -n \"$d\" ] || continue; "
        + $"printf '@@FILE:{nonce}:{Definition}%s\\n' \"$d\"; v dumpxml --inactive -- \"$d\"; printf '\\n@@EOF:{nonce}\\n'; "
        + $"printf '@@FILE:{nonce}:{Live}%s\\n' \"$d\"; v dumpxml -- \"$d\"; printf '\\n@@EOF:{nonce}\\n'; done; exit 0";

    /// <summary>The domains whose definition and live XML both came back, in virsh's order.</summary>
    public static IReadOnlyList<RunningDomain> Parse(string output, string nonce)
    {
        var files = FileSet.Parse(output, nonce);
        var live = files.Where(f => f.Path.StartsWith(Live, StringComparison.Ordinal))
            .ToDictionary(f => f.Path[Live.Length..], f => f.Content ?? string.Empty, StringComparer.Ordinal);
        return files.Where(f => f.Path.StartsWith(Definition, StringComparison.Ordinal))
            .Select(f => (Name: f.Path[Definition.Length..], Xml: f.Content ?? string.Empty))
            .Where(d => live.ContainsKey(d.Name))
            .Select(d => new RunningDomain(d.Name, d.Xml, live[d.Name]))
            .ToList();
    }

    /// <summary>The framed output of <see cref="Command"/> for these domains, as a target returns it (for tests and fuzzing).</summary>
    public static string Frame(string nonce, IEnumerable<RunningDomain> domains) =>
        string.Concat((domains ?? []).Select(d =>
            $"@@FILE:{nonce}:{Definition}{d.Name}\n{d.DefinitionXml}\n@@EOF:{nonce}\n@@FILE:{nonce}:{Live}{d.Name}\n{d.LiveXml}\n@@EOF:{nonce}\n"));
}
