using KvmTime.Health;
using KvmTime.Tests.BootConfig;
using Xunit;

namespace KvmTime.Tests.Health;

/// <summary>The host's domain listing run by dash against a stand-in virsh: a failure brings back virsh's own reason.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostDomainsCommandTests : IDisposable
{
    private readonly string bin = Directory.CreateTempSubdirectory("kvmtime-virsh-").FullName;

    [Fact]
    public async Task A_virsh_that_cannot_reach_libvirtd_gives_its_reason_and_status()
    {
        // What virsh 9 prints when libvirtd is not running (its two error lines), then exit 1.
        FakeVirsh("echo 'error: failed to connect to the hypervisor' >&2; echo \"error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory\" >&2; exit 1");
        using var shell = ChangeScriptShell.Dash();

        var (code, output, _) = await shell.RunAsync(HostDomains.Command("n0nce"), bin);

        Assert.Equal(1, code);
        Assert.Contains("error: failed to connect to the hypervisor", output, StringComparison.Ordinal);
        Assert.Contains("libvirt-sock", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_without_running_domains_lists_none_and_succeeds_and_a_stray_warning_is_no_domain()
    {
        FakeVirsh("echo 'a warning on stderr' >&2; exit 0");
        using var shell = ChangeScriptShell.Dash();

        var (code, output, _) = await shell.RunAsync(HostDomains.Command("n0nce"), bin);

        Assert.Equal(0, code);
        Assert.Contains("a warning on stderr", output, StringComparison.Ordinal);
        Assert.Empty(HostDomains.Parse(output, "n0nce"));
    }

    [Fact]
    public async Task A_running_domain_comes_back_with_its_definition_and_live_xml()
    {
        FakeVirsh("""case "$*" in *list*) echo g1;; *--inactive*) echo '<domain><name>g1</name></domain>';; *dumpxml*) echo '<domain id="1"><name>g1</name></domain>';; esac""");
        using var shell = ChangeScriptShell.Dash();

        var (code, output, _) = await shell.RunAsync(HostDomains.Command("n0nce"), bin);

        Assert.Equal(0, code);
        var domain = Assert.Single(HostDomains.Parse(output, "n0nce"));
        // virsh ends its XML with a newline, and the frame keeps it.
        Assert.Equal(("g1", "<domain><name>g1</name></domain>\n", "<domain id=\"1\"><name>g1</name></domain>\n"), (domain.Name, domain.DefinitionXml, domain.LiveXml));
    }

    public void Dispose() => Directory.Delete(bin, recursive: true);

    private void FakeVirsh(string body)
    {
        var path = Path.Combine(bin, "virsh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
    }
}
