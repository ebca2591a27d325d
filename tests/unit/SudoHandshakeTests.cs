using System.Diagnostics;
using System.Text;
using KvmTime.Targets;
using Xunit;

namespace KvmTime.Tests;

/// <summary>
/// The sudo handshake over real processes. The "sudo_emulation" tests run /bin/sh scripts that
/// speak sudo's -S protocol (prompt on stderr, password line on stdin); real sudo with real
/// sudoers rules runs in tests/pester/Sudo.Tests.ps1 over a loopback sshd.
/// </summary>
public class SudoHandshakeTests
{
    private const string Secret = "Kt-pw;touch /tmp/kvmtime-never";

    [Fact]
    public async Task Real_sudo_as_root_starts_the_shell_without_a_password_and_nothing_reaches_it()
    {
        if (!File.Exists("/usr/bin/sudo") || Environment.UserName != "root")
        {
            Assert.Fail("This test needs real sudo and root (tests/install-test-deps.sh installs sudo; CI runs as root).");
        }

        var sudo = new SudoHandshake(LinuxGatherScript.NewNonce(), "local");
        using var process = Start(sudo.Command);
        await sudo.PassAsync(process.StandardError.BaseStream, process.StandardInput.BaseStream, Secret, CancellationToken.None);
        await process.StandardInput.WriteAsync("id -u; exit\n");
        await process.StandardInput.FlushAsync();

        Assert.False(sudo.PasswordSent);
        Assert.Equal("0", (await process.StandardOutput.ReadToEndAsync()).Trim());
    }

    [Fact]
    public async Task Sudo_emulation_the_password_goes_to_the_prompt_once_and_the_shell_then_runs()
    {
        var sudo = new SudoHandshake("abc123", "local");
        using var process = Start(Emulation(sudo, askTwiceOnWrongPassword: true));
        await sudo.PassAsync(process.StandardError.BaseStream, process.StandardInput.BaseStream, Secret, CancellationToken.None);
        await process.StandardInput.WriteAsync("echo shell-ran; exit\n");
        await process.StandardInput.FlushAsync();

        Assert.True(sudo.PasswordSent);
        Assert.Equal("shell-ran", (await process.StandardOutput.ReadToEndAsync()).Trim());
    }

    [Fact]
    public async Task Sudo_emulation_a_wrong_password_fails_at_the_second_prompt_without_a_retry()
    {
        var sudo = new SudoHandshake("abc123", "local");
        using var process = Start(Emulation(sudo, askTwiceOnWrongPassword: true));
        var error = await Assert.ThrowsAsync<KvmTimeException>(() =>
            sudo.PassAsync(process.StandardError.BaseStream, process.StandardInput.BaseStream, "wrong", CancellationToken.None));

        Assert.Equal("SudoAuthenticationFailed", error.ErrorId);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
        process.Kill();
    }

    [Fact]
    public async Task Sudo_emulation_a_prompt_without_a_credential_is_SudoPasswordRequired()
    {
        var sudo = new SudoHandshake("abc123", "local");
        using var process = Start(Emulation(sudo, askTwiceOnWrongPassword: true));
        var error = await Assert.ThrowsAsync<KvmTimeException>(() =>
            sudo.PassAsync(process.StandardError.BaseStream, process.StandardInput.BaseStream, null, CancellationToken.None));

        Assert.Equal("SudoPasswordRequired", error.ErrorId);
        process.Kill();
    }

    [Theory]
    [InlineData("sudo: sorry, you must have a tty to run sudo", "SudoRequiresTty")]
    [InlineData("ops is not in the sudoers file.  This incident will be reported.", "SudoNotAllowed")]
    [InlineData("sudo: 1 incorrect password attempt", "SudoAuthenticationFailed")]
    [InlineData("sh: 1: sudo: not found", "SudoNotInstalled")]
    public async Task Sudo_emulation_sudo_ending_early_is_named_from_its_own_words(string said, string errorId)
    {
        var sudo = new SudoHandshake("abc123", "local");
        using var process = Start("printf '%s\\n' " + ShellQuote.Single(said) + " >&2; exit 1");
        var error = await Assert.ThrowsAsync<KvmTimeException>(() =>
            sudo.PassAsync(process.StandardError.BaseStream, process.StandardInput.BaseStream, Secret, CancellationToken.None));

        Assert.Equal(errorId, error.ErrorId);
    }

    [Fact]
    public async Task A_password_with_a_line_break_is_refused_before_anything_is_read()
    {
        var sudo = new SudoHandshake("abc123", "local");
        var error = await Assert.ThrowsAsync<KvmTimeException>(() =>
            sudo.PassAsync(new MemoryStream(), new MemoryStream(), "a\nb", CancellationToken.None));

        Assert.Equal("InvalidSudoPassword", error.ErrorId);
    }

    [Fact]
    public void The_command_carries_no_secret_and_its_prompt_has_no_percent_escapes()
    {
        var sudo = new SudoHandshake("abc123", "local");

        Assert.DoesNotContain("%", sudo.Prompt, StringComparison.Ordinal);
        Assert.StartsWith("exec env LC_ALL=C sudo -S -p '[kvmtime-sudo-abc123] ' -- sh -c ", sudo.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standard_input_reaches_the_script_byte_for_byte_through_real_sh()
    {
        const string input = "<domain type='qemu'>\n  it's \"quoted\" $HOME `id`\n</domain>";
        var script = StandardInputScript.Feed("cat; printf '[end]'", input);
        using var process = Start(script);
        process.StandardInput.Close();

        Assert.Equal(input + "[end]", await process.StandardOutput.ReadToEndAsync());
    }

    // Speaks sudo -S: the prompt on stderr (no newline), one password line, then either the shell
    // (which announces itself like the real one) or "Sorry, try again." and the prompt once more.
    private static string Emulation(SudoHandshake sudo, bool askTwiceOnWrongPassword) =>
        "printf '%s' " + ShellQuote.Single(sudo.Prompt) + " >&2; IFS= read -r pw; " +
        "if [ \"$pw\" = " + ShellQuote.Single(Secret) + " ]; then echo " + sudo.ReadyMarker + " >&2; exec sh; fi; " +
        (askTwiceOnWrongPassword ? "printf 'Sorry, try again.\\n%s' " + ShellQuote.Single(sudo.Prompt) + " >&2; IFS= read -r pw; " : string.Empty) +
        "exit 1";

    private static Process Start(string script)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }
}
