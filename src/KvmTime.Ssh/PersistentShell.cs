using System.Text;
using KvmTime.Resources;
using KvmTime.Targets;
using Renci.SshNet;

namespace KvmTime.Ssh;

/// <summary>
/// One long-lived 'sh' on the target, fed scripts over its stdin. A new exec channel costs sshd a
/// fork and a login (hundreds of ms on a busy host); a warm shell answers in a few ms. Each script
/// runs in a subshell with stdin from /dev/null, and its end is a nonce-tagged marker line.
/// </summary>
internal sealed class PersistentShell : IDisposable
{
    private const string Setup = "KT_ERR=$(mktemp) || exit 1; trap 'rm -f \"$KT_ERR\"' EXIT\n";
    private readonly SshCommand command;
    private readonly Task execution;
    private readonly Stream input;
    private readonly ShellOutputLines output;

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

            await shell.WriteAsync(Setup, cancellationToken).ConfigureAwait(false);
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
        var errMark = $"@@KVMTIME-ERR:{nonce}";
        var endMark = $"@@KVMTIME-END:{nonce}";
        var wrapped = new StringBuilder()
            .Append("(\n").Append(script).Append("\n) </dev/null 2>\"$KT_ERR\"; kt_rc=$?\n")
            .Append("printf '\\n%s\\n' '").Append(errMark).Append("'; cat \"$KT_ERR\"\n")
            .Append("printf '\\n%s %s\\n' '").Append(endMark).Append("' \"$kt_rc\"\n")
            .ToString();
        try
        {
            await WriteAsync(wrapped, cancellationToken).ConfigureAwait(false);
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            var current = stdout;
            while (true)
            {
                var line = await output.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new KvmTimeException(ErrorIds.RemoteShellEnded, FailureKind.ConnectionError,
                        Messages.RemoteShellEnded);
                if (line == errMark)
                {
                    current = stderr;
                }
                else if (line.StartsWith(endMark + " ", StringComparison.Ordinal))
                {
                    var code = int.TryParse(line.AsSpan(endMark.Length + 1), out var rc) ? rc : -1;
                    return new CommandResult(code, DropAddedNewline(stdout), DropAddedNewline(stderr));
                }
                else
                {
                    current.Append(line).Append('\n');
                }
            }
        }
        catch
        {
            broken = true; // a half-read answer must never be mistaken for the next one
            throw;
        }
    }

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
