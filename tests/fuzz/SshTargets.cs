using KvmTime.Changes;
using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>known_hosts lines and their matching, host addresses, and the diff shown under -WhatIf.</summary>
public static class SshTargets
{
    private static readonly string[] LookupNames = ["guest1.example.net", "[192.0.2.10]:2222", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"];

    public static IEnumerable<FuzzTarget> All() =>
    [
        new("known-hosts-line", [Text("guest1.example.net,192.0.2.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n"),
            Text("@revoked *.example.net,!bad.example.net ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==\n"),
            Text("|1|JfKTdBh7rNbXkVAQCRp4OQoPfmI=|USECr3SWf1JUPsms5AqfD5QfxkM= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n")],
            MatchLine),
        new("host-address", [Text("guest1:2222"), Text("[fe80::1]:22"), Text("192.0.2.1")], s => HostAddress.Parse(s)),
        new("unified-diff", ["boot/documented_format/*-default-grub"], s => UnifiedDiff.Create("/etc/default/grub", Half(s, first: true), Half(s, first: false))),
    ];

    private static string Text(string text) => FuzzTarget.TextSeed + text;

    private static void MatchLine(string input)
    {
        foreach (var line in input.Split('\n'))
        {
            if (KnownHostEntry.Parse(line, 1) is { } entry)
            {
                foreach (var name in LookupNames)
                {
                    entry.Matches(name);
                }
            }
        }
    }

    // A seed file diffed against itself with its lines shuffled by the mutations.
    private static string Half(string text, bool first)
    {
        var separator = text.IndexOf(GatherInput.Separator, StringComparison.Ordinal);
        return separator < 0 ? (first ? text : text.Replace("quiet", "quiet clocksource=tsc", StringComparison.Ordinal))
            : first ? text[..separator] : text[(separator + 1)..];
    }
}
