using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

public class LinuxGatherScriptTests
{
    [Fact]
    public async Task Script_output_round_trips_through_a_real_shell()
    {
        var dir = Directory.CreateTempSubdirectory("kvmtime-gather-");
        try
        {
            var withNewline = Path.Combine(dir.FullName, "a b'c");
            var noNewline = Path.Combine(dir.FullName, "plain");
            await File.WriteAllTextAsync(withNewline, "tsc kvm-clock \n");
            await File.WriteAllTextAsync(noNewline, "line1\n\nline3");
            var request = new GatherRequest()
                .File("quoted", withNewline)
                .File("plain", noNewline)
                .File("missing", Path.Combine(dir.FullName, "nope"))
                .FileFirstBlock("block", noNewline)
                .Command("cmd", "printf 'x\\n'; exit 4");
            var nonce = LinuxGatherScript.NewNonce();

            var output = await LocalTarget.Instance.RunShellAsync(LinuxGatherScript.Build(request, nonce), null, CancellationToken.None);
            var result = LinuxGatherScript.Parse(output.StandardOutput, nonce);

            Assert.Equal("tsc kvm-clock \n", result.TextOrNull("quoted"));
            Assert.Equal("line1\n\nline3", result.TextOrNull("plain"));
            Assert.Null(result.TextOrNull("missing"));
            Assert.NotEqual(0, result.Get("missing")!.ExitCode);
            Assert.Equal("line1\n\n", result.TextOrNull("block"));
            Assert.Equal(4, result.Get("cmd")!.ExitCode);
            Assert.Equal("x\n", result.Get("cmd")!.Text);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Local_and_remote_gathering_agree_on_the_build_machine()
    {
        var request = new GatherRequest().File("cur", "/sys/devices/system/clocksource/clocksource0/current_clocksource").FileFirstBlock("cpu", "/proc/cpuinfo");
        var nonce = LinuxGatherScript.NewNonce();

        var local = await LocalTarget.Instance.GatherAsync(request, CancellationToken.None);
        var shell = await LocalTarget.Instance.RunShellAsync(LinuxGatherScript.Build(request, nonce), null, CancellationToken.None);
        var viaShell = LinuxGatherScript.Parse(shell.StandardOutput, nonce);

        Assert.Equal(local.TextOrNull("cur"), viaShell.TextOrNull("cur"));
        Assert.Equal(local.TextOrNull("cpu"), viaShell.TextOrNull("cpu"));
    }

    // What the shell's builtins read must be what cat reads, in every sh a target may have.
    [Theory]
    [InlineData("/bin/dash")]
    [InlineData("/bin/bash")]
    [InlineData("/usr/bin/busybox")]
    public async Task Builtin_read_of_a_kernel_attribute_is_byte_exact(string shell)
    {
        Assert.True(File.Exists(shell), $"{shell} is not installed: apt-get install dash bash busybox");
        var dir = Directory.CreateTempSubdirectory("kvmtime-read-");
        try
        {
            var contents = new[] { "tsc kvm-clock \n", "a  b\\c \n\n  x\ty\nlast", string.Empty, "\n\n", "one" };
            for (var i = 0; i < contents.Length; i++)
            {
                var path = Path.Combine(dir.FullName, $"f{i}");
                await File.WriteAllTextAsync(path, contents[i]);
                var (code, text) = await TestShell.RunAsync(shell, "{ " + LinuxGatherScript.BuiltinReadBody + "; } 2>/dev/null <" + ShellQuote.Single(path));
                Assert.Equal(0, code);
                Assert.Equal(contents[i], text);
            }

            var (missingCode, missingText) = await TestShell.RunAsync(shell, "{ " + LinuxGatherScript.BuiltinReadBody + "; } 2>/dev/null <" + ShellQuote.Single(Path.Combine(dir.FullName, "nope")));
            Assert.NotEqual(0, missingCode);
            Assert.Equal(string.Empty, missingText);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Kernel_attributes_are_read_without_a_process_and_other_files_with_cat()
    {
        var script = LinuxGatherScript.Build(new GatherRequest()
            .File("sysfs", "/sys/devices/system/clocksource/clocksource0/current_clocksource")
            .File("cmdline", "/proc/cmdline")
            .File("conf", "/etc/chrony/chrony.conf")
            .File("escape", "/sys/../etc/shadow"), "n");

        Assert.Contains("{ " + LinuxGatherScript.BuiltinReadBody + "; } 2>/dev/null <'/sys/devices/system/clocksource/clocksource0/current_clocksource'", script, StringComparison.Ordinal);
        Assert.Contains("{ " + LinuxGatherScript.BuiltinReadBody + "; } 2>/dev/null <'/proc/cmdline'", script, StringComparison.Ordinal);
        Assert.Contains("(cat -- '/etc/chrony/chrony.conf') 2>/dev/null", script, StringComparison.Ordinal);
        Assert.Contains("(cat -- '/sys/../etc/shadow') 2>/dev/null", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Content_cannot_forge_a_marker_of_another_nonce()
    {
        var output = "@@KVMTIME:aaaa:BEGIN:k\n@@KVMTIME:bbbb:END:k 0\nreal\n\n@@KVMTIME:aaaa:END:k 0\n";

        var result = LinuxGatherScript.Parse(output, "aaaa");

        Assert.Equal("@@KVMTIME:bbbb:END:k 0\nreal\n", result.TextOrNull("k"));
    }

    [Fact]
    public void Truncated_output_reports_the_item_as_failed()
    {
        var result = LinuxGatherScript.Parse("@@KVMTIME:n:BEGIN:k\npartial", "n");

        Assert.Equal(-1, result.Get("k")!.ExitCode);
    }

    [Theory]
    [InlineData("tsc", "'tsc'")]
    [InlineData("tsc; touch /tmp/pwned", "'tsc; touch /tmp/pwned'")]
    [InlineData("a'b", "'a'\\''b'")]
    [InlineData("$(id)", "'$(id)'")]
    public void Shell_quoting_is_literal(string value, string quoted)
    {
        Assert.Equal(quoted, ShellQuote.Single(value));
    }
}
