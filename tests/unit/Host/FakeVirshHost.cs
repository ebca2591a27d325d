using KvmTime.Targets;

namespace KvmTime.Tests.Host;

/// <summary>
/// A KVM host in a temp folder: the real sh runs KvmTime's scripts, with a stand-in virsh first on
/// PATH that serves and stores domain XML files the way virsh dumpxml/define/domstate do.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FakeVirshHost : ITarget, IDisposable
{
    private const string Virsh = """
        #!/bin/sh
        while [ $# -gt 0 ]; do case $1 in -q) shift ;; -c) shift 2 ;; *) break ;; esac; done
        cmd=$1; shift
        for a; do last=$a; done
        case $cmd in
          dumpxml|domstate)
            [ -f "$FAKE/$last.xml" ] || { echo "error: failed to get domain '$last'" >&2; exit 1; }
            if [ "$cmd" = domstate ]; then cat "$FAKE/$last.state" 2>/dev/null || echo 'shut off'; else cat "$FAKE/$last.xml"; fi ;;
          define)
            if grep -q REJECT "$last"; then echo "error: XML error: rejected by the fake" >&2; exit 1; fi
            name=$(sed -n 's:.*<name>\(.*\)</name>.*:\1:p' "$last")
            cp "$last" "$FAKE/$name.xml"; echo "Domain '$name' defined from $last" ;;
          *) echo "error: unknown command $cmd" >&2; exit 1 ;;
        esac
        """;

    public FakeVirshHost()
    {
        Directory = Path.Combine(Path.GetTempPath(), "kvmtime-virsh-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "bin"));
        var virsh = Path.Combine(Directory, "bin", "virsh");
        File.WriteAllText(virsh, Virsh.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(virsh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    public string ComputerName => "fakehost";

    public TargetOs Os => TargetOs.Linux;

    public string DomainFile(string domain) => Path.Combine(Directory, domain + ".xml");

    public void AddDomain(string domain, string xml, string state = "shut off")
    {
        File.WriteAllText(DomainFile(domain), xml);
        File.WriteAllText(Path.Combine(Directory, domain + ".state"), state + "\n");
    }

    public async Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        var nonce = LinuxGatherScript.NewNonce();
        var result = await RunShellAsync(LinuxGatherScript.Build(request, nonce), null, cancellationToken);
        return LinuxGatherScript.Parse(result.StandardOutput, nonce);
    }

    public Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken) =>
        LocalTarget.Instance.RunShellAsync($"FAKE={ShellQuote.Single(Directory)}; export FAKE; PATH=\"$FAKE/bin:$PATH\"\n{script}", standardInput, cancellationToken);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
