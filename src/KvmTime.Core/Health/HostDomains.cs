using KvmTime.Host;
using KvmTime.Linux.Boot;
using KvmTime.Targets;

namespace KvmTime.Health;

/// <summary>One running domain's live definition (live, so the agent channel carries its state).</summary>
internal sealed record RunningDomain(string Name, string Xml);

/// <summary>
/// The live XML of every running domain of a KVM host, in the same round trip as the rest: virsh list
/// and one dumpxml per domain, each framed like <see cref="FileSet"/> frames files.
/// </summary>
internal static class HostDomains
{
    public const string Key = "domains";

    /// <summary>Exits 127 without virsh and with virsh's status when listing fails, so "no domains" is never guessed.</summary>
    public static string Command(string nonce) =>
        "PATH=\"$PATH:/usr/sbin:/sbin\"; command -v virsh >/dev/null 2>&1 || exit 127; "
        + $"v(){{ LC_ALL=C timeout {VirshCommands.TimeoutSeconds} virsh -q -c {ShellQuote.Single(LibvirtNames.DefaultUri)} \"$@\"; }}; "
        + "names=$(v list --state-running --name) || exit $?; "
        + "printf '%s\\n' \"$names\" | while IFS= read -r d; do [ -n \"$d\" ] || continue; printf '@@FILE:" + nonce + ":%s\\n' \"$d\"; v dumpxml -- \"$d\"; printf '\\n@@EOF:" + nonce + "\\n'; done; exit 0";

    public static IReadOnlyList<RunningDomain> Parse(string output, string nonce) =>
        FileSet.Parse(output, nonce).Select(f => new RunningDomain(f.Path, f.Content ?? string.Empty)).ToList();
}
