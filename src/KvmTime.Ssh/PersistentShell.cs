using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;
using Renci.SshNet;

namespace KvmTime.Ssh;

/// <summary>
/// One long-lived 'sh' on the target, fed scripts over its stdin. A new exec channel costs sshd a
/// fork and a login (hundreds of ms on a busy host); a warm shell answers in a few ms. Each script
/// runs in a subshell with stdin from /dev/null, and its end is a nonce-tagged marker line on
/// stdout. Its stderr comes back on the channel's own stderr between two nonce-tagged marker
/// lines: no temp file, so no mktemp and rm per shell and no cat per script run on the target.
/// </summary>
internal sealed class PersistentShell : IDisposable
{
    private readonly SshCommand command;
    private readonly Task execution;
    private readonly Stream input;
    private readonly ShellOutputLines output;
    private ShellOutputLines? errors;

    private PersistentShell(SshCommand command, Task execution, Stream input)
    {
        this.command = command;
        this.execution = execution;
        this.input = input;
        output = new ShellOutputLines(command.OutputStream);
    }

    /// <summary>False once the shell ended or a call on it failed: it is then thrown away.</summary>
    public bool IsUsable => !execution.IsCompleted && !broken;

    private bool broken;

    /// <summary>
    /// Starts 'sh', or a root 'sh' through sudo. With sudo, nothing is written to the shell until
    /// <see cref="SudoHandshake"/> saw it start: the password goes to sudo's prompt only.
    /// </summary>
    public static async Task<PersistentShell> StartAsync(SshClient client, SudoHandshake? sudo, string? sudoPassword, CancellationToken cancellationToken)
    {
        var command = client.CreateCommand(sudo is null ? "exec sh" : sudo.Command);
        var execution = command.ExecuteAsync(CancellationToken.None);
        var shell = new PersistentShell(command, execution, command.CreateInputStream());
        try
        {
            if (sudo is not null)
            {
                // WaitAsync: a read blocked inside SSH.NET ends when the shell is disposed below.
                await sudo.PassAsync(command.ExtendedOutputStream, shell.input, sudoPassword, cancellationToken)
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Read stderr only now: until sudo's handshake ended, its prompt was read from there.
            shell.errors = new ShellOutputLines(command.ExtendedOutputStream);
            return shell;
        }
        catch
        {
            shell.Dispose();
            throw;
        }
    }

    public async Task<CommandResult> RunAsync(string script, CancellationToken cancellationToken)
    {
        var nonce = LinuxGatherScript.NewNonce();
        var errBegin = $"@@KVMTIME-ERR-BEGIN:{nonce}";
        var errMark = $"@@KVMTIME-ERR:{nonce}";
        var endMark = $"@@KVMTIME-END:{nonce}";
        var wrapped = new StringBuilder()
            .Append("printf '%s\\n' '").Append(errBegin).Append("' >&2\n")
            .Append("(\n").Append(script).Append("\n) </dev/null; kt_rc=$?\n")
            .Append("printf '\\n%s\\n' '").Append(errMark).Append("' >&2\n")
            .Append("printf '\\n%s %s\\n' '").Append(endMark).Append("' \"$kt_rc\"\n")
            .ToString();
        try
        {
            await WriteAsync(wrapped, cancellationToken).ConfigureAwait(false);
            var stdout = new StringBuilder();
            int code;
            while (true)
            {
                var line = await output.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw Ended();
                if (line.StartsWith(endMark + " ", StringComparison.Ordinal))
                {
                    code = int.TryParse(line.AsSpan(endMark.Length + 1), out var rc) ? rc : -1;
                    break;
                }

                stdout.Append(line).Append('\n');
            }

            // The shell wrote the stderr end marker before the stdout one; the two streams only
            // travel apart. Lines before this script's begin marker are not its own (a login
            // script's noise, a background process of an earlier script): they are dropped.
            var stderr = new StringBuilder();
            var inside = false;
            while (true)
            {
                var line = await errors!.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw Ended();
                if (line == errMark)
                {
                    break;
                }

                if (inside)
                {
                    stderr.Append(line).Append('\n');
                }
                else
                {
                    inside = line.EndsWith(errBegin, StringComparison.Ordinal);
                }
            }

            return new CommandResult(code, DropAddedNewline(stdout), DropAddedNewline(stderr));
        }
        catch
        {
            broken = true; // a half-read answer must never be mistaken for the next one
            throw;
        }
    }

    private static KvmTimeException Ended() =>
        new(ErrorIds.RemoteShellEnded, FailureKind.ConnectionError, Messages.RemoteShellEnded);

    public void Dispose()
    {
        broken = true;
        input.Dispose();
        command.Dispose(); // also ends the output stream, and so its reading thread
    }

    // Each section ends with the newline the wrapper printed before the next marker.
    private static string DropAddedNewline(StringBuilder text) =>
        text.Length > 0 ? text.ToString(0, text.Length - 1) : string.Empty;

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await input.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await input.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
