using System.Text;
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
    private readonly StreamReader output;

    private PersistentShell(SshCommand command, Task execution, Stream input)
    {
        this.command = command;
        this.execution = execution;
        this.input = input;
        output = new StreamReader(command.OutputStream, new UTF8Encoding(false));
    }

    /// <summary>False once the shell ended or a call on it failed: it is then thrown away.</summary>
    public bool IsUsable => !execution.IsCompleted && !broken;

    private bool broken;

    /// <summary>Starts 'sh' (through sudo when asked; the password is the first line of stdin).</summary>
    public static async Task<PersistentShell> StartAsync(SshClient client, bool sudo, string? sudoPassword, CancellationToken cancellationToken)
    {
        var start = !sudo ? "exec sh" : sudoPassword is null ? "exec sudo -n -- sh" : "exec sudo -S -p '' -- sh";
        var command = client.CreateCommand(start);
        var execution = command.ExecuteAsync(CancellationToken.None);
        var shell = new PersistentShell(command, execution, command.CreateInputStream());
        var preamble = (sudo && sudoPassword is not null ? sudoPassword + "\n" : string.Empty) + Setup;
        await shell.WriteAsync(preamble, cancellationToken).ConfigureAwait(false);
        return shell;
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
                    ?? throw new KvmTimeException("RemoteShellEnded", FailureKind.ConnectionError,
                        "The remote shell ended unexpectedly." + SudoHint());
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
        command.Dispose();
        output.Dispose();
    }

    // Each section ends with the newline the wrapper printed before the next marker.
    private static string DropAddedNewline(StringBuilder text) =>
        text.Length > 0 ? text.ToString(0, text.Length - 1) : string.Empty;

    private string SudoHint() => command.CommandText.Contains("sudo", StringComparison.Ordinal)
        ? " sudo may have refused: check the password and that this user may run sudo." : string.Empty;

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await input.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await input.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
