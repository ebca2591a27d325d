using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The sh snippets that read and redefine domains on a KVM host. Domain, URI and backup folder are
/// validated first and reach the shell only single-quoted; the new XML goes on stdin.
/// </summary>
internal static class DomainClockScripts
{
    public const string DefaultBackupPath = "/var/lib/kvmtime/backup";

    /// <summary>Exit codes of <see cref="Apply"/>, each with its own error.</summary>
    public const int ExitReadFailed = 11;
    public const int ExitChangedMeanwhile = 12;
    public const int ExitDefineFailed = 13;
    public const int ExitBackupFailed = 14;

    /// <summary>domstate and dumpxml --inactive of every domain, in one round trip. --security-info when the XML will be defined again, so no secret is dropped.</summary>
    public static GatherRequest Read(string uri, IReadOnlyList<string> domains, bool forDefine)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var request = new GatherRequest();
        for (var i = 0; i < domains.Count; i++)
        {
            var domain = ShellQuote.Single(LibvirtNames.Domain(domains[i]));
            request.Command(Key("state", i), $"{Virsh(uri)} domstate -- {domain} 2>&1");
            request.Command(Key("xml", i), $"{Virsh(uri)} dumpxml --inactive{(forDefine ? " --security-info" : string.Empty)} -- {domain} 2>&1");
        }

        return request;
    }

    public static string Key(string what, int index) => string.Create(CultureInfo.InvariantCulture, $"{what}-{index}");

    /// <summary>
    /// Backs up the current definition (refusing when it is no longer the one planned against),
    /// stages the new XML from stdin next to it, defines it, and prints the re-read definition.
    /// </summary>
    public static string Apply(string uri, string domain, string backupDirectory, string stamp, string plannedAgainstXml)
    {
        ArgumentNullException.ThrowIfNull(plannedAgainstXml);
        var dir = ShellQuote.Single(BackupDirectory(backupDirectory));
        var dom = ShellQuote.Single(LibvirtNames.Domain(domain));
        var name = ShellQuote.Single($"{domain}.{stamp}");
        var expected = Sha256(plannedAgainstXml);
        return $"""
            umask 077
            dir={dir}; base={name}
            mkdir -p -- "$dir" || exit {ExitBackupFailed}
            backup="$dir/$base.xml"; staged="$dir/$base.new.xml"
            if ! {Virsh(uri)} dumpxml --inactive --security-info -- {dom} >"$backup.tmp" 2>"$backup.err"; then
              cat "$backup.err" >&2; rm -f "$backup.tmp" "$backup.err"; exit {ExitReadFailed}
            fi
            rm -f "$backup.err"
            if [ "$(sha256sum <"$backup.tmp" | cut -d' ' -f1)" != '{expected}' ]; then
              rm -f "$backup.tmp"; echo "the definition changed since it was read" >&2; exit {ExitChangedMeanwhile}
            fi
            mv -f -- "$backup.tmp" "$backup" || exit {ExitBackupFailed}
            cat >"$staged.tmp" && mv -f -- "$staged.tmp" "$staged" || exit {ExitBackupFailed}
            if ! err=$({Virsh(uri)} define -- "$staged" 2>&1 >/dev/null); then
              printf '%s\n' "$err" >&2; exit {ExitDefineFailed}
            fi
            printf '%s\n' "$backup"
            {Virsh(uri)} dumpxml --inactive --security-info -- {dom}
            """;
    }

    /// <summary>An absolute path without line breaks; anything else is refused before it reaches a shell.</summary>
    public static string BackupDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || path.Any(c => c is '\n' or '\r' or '\0'))
        {
            throw new KvmTimeException(ErrorIds.InvalidBackupPath, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidBackupPath, path, DefaultBackupPath));
        }

        return path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/";
    }

    public static string Sha256(string text) =>
        string.Concat(SHA256.HashData(Encoding.UTF8.GetBytes(text)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private static string Virsh(string uri) => $"LC_ALL=C virsh -q -c {ShellQuote.Single(LibvirtNames.Uri(uri))}";
}
