using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using KvmTime.Targets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KvmTime.Ssh;

/// <summary>
/// A Linux machine reached over SSH. One connection serves every command (SSH.NET multiplexes
/// channels), so a session can be reused by many cmdlets and parallel runspaces.
/// </summary>
public sealed class SshTarget : ITarget, IConnectionState, IHasSshOptions, IDisposable
{
    private readonly SshConnectionOptions options;
    private readonly SemaphoreSlim connectLock = new(1, 1);
    private readonly ConcurrentBag<PersistentShell> idleShells = [];
    private SshClient? client;

    public SshTarget(SshConnectionOptions options)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public string ComputerName => options.DisplayName;

    public TargetOs Os => TargetOs.Linux;

    public SshConnectionOptions Options => options;

    public bool IsConnected => client?.IsConnected == true;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (client?.IsConnected == true)
            {
                return;
            }

            DisposeIdleShells();
            client?.Dispose();
            client = null;
            client = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connectLock.Release();
        }
    }

    public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken) =>
        LinuxGatherScript.RunAsync(this, request, cancellationToken);

    public async Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CommandTimeout);
        try
        {
            // Scripts without stdin go to a warm shell; stdin needs a channel of its own.
            return standardInput is null
                ? await RunInWarmShellAsync(script, timeout.Token).ConfigureAwait(false)
                : await RunInNewChannelAsync(script, standardInput, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KvmTimeException("CommandTimeout", FailureKind.OperationTimeout,
                $"{ComputerName}: the remote command did not finish within {options.CommandTimeout.TotalSeconds:0} s. Raise -CommandTimeout if the machine is just slow.")
            { ComputerName = ComputerName };
        }
    }

    private bool NeedsSudo => options.UseSudo && options.UserName != "root";

    private async Task<CommandResult> RunInWarmShellAsync(string script, CancellationToken cancellationToken)
    {
        var shell = TakeIdleShell() ?? await PersistentShell.StartAsync(client!, NeedsSudo, options.Password, cancellationToken).ConfigureAwait(false);
        try
        {
            // WaitAsync: a read blocked inside SSH.NET ends when the shell is disposed below.
            var result = await shell.RunAsync(script, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            idleShells.Add(shell);
            return result;
        }
        catch
        {
            shell.Dispose();
            throw;
        }
    }

    private PersistentShell? TakeIdleShell()
    {
        while (idleShells.TryTake(out var shell))
        {
            if (shell.IsUsable)
            {
                return shell;
            }

            shell.Dispose();
        }

        return null;
    }

    private void DisposeIdleShells()
    {
        while (idleShells.TryTake(out var shell))
        {
            shell.Dispose();
        }
    }

    private async Task<CommandResult> RunInNewChannelAsync(string script, string standardInput, CancellationToken cancellationToken)
    {
        var (command, input) = NeedsSudo
            ? SudoWrapper.Wrap(script, options.Password, standardInput)
            : ("sh -c " + ShellQuote.Single(script), standardInput);

        using var sshCommand = client!.CreateCommand(command);
        var execution = sshCommand.ExecuteAsync(cancellationToken);
        using (var stdin = sshCommand.CreateInputStream())
        {
            // Always close stdin, so a command that reads it ends instead of waiting forever.
            if (input is not null)
            {
                await stdin.WriteAsync(Encoding.UTF8.GetBytes(input), cancellationToken).ConfigureAwait(false);
            }
        }

        await execution.ConfigureAwait(false);
        return new CommandResult(sshCommand.ExitStatus ?? -1, sshCommand.Result, sshCommand.Error);
    }

    public void Dispose()
    {
        DisposeIdleShells();
        client?.Dispose();
        connectLock.Dispose();
    }

    private async Task<SshClient> OpenAsync(CancellationToken cancellationToken)
    {
        var policy = new HostKeyPolicy(options);
        var methods = AuthenticationMethods().ToArray();
        if (methods.Length == 0)
        {
            throw new KvmTimeException("NoCredentials", FailureKind.AuthenticationError,
                $"{ComputerName}: no way to log in. Give -KeyFilePath or -Credential (no ~/.ssh/id_ed25519, id_ecdsa or id_rsa was found).") { ComputerName = ComputerName };
        }

        var connection = new ConnectionInfo(options.Host, options.Port, options.UserName, methods)
        {
            Timeout = options.ConnectTimeout,
        };
        OfferOnlyKnownKeyTypes(connection, policy.KnownKeyTypes);

        var ssh = new SshClient(connection);
        ssh.HostKeyReceived += (_, e) => e.CanTrust = policy.Decide(e.HostKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await ssh.ConnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ssh.Dispose();
            throw ConnectFailure(e, policy, cancellationToken);
        }

        policy.PersistIfNew();
        return ssh;
    }

    private KvmTimeException ConnectFailure(Exception e, HostKeyPolicy policy, CancellationToken cancellationToken)
    {
        if (policy.RefusalError() is { } refused)
        {
            return WithName(refused);
        }

        return WithName(e switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => new KvmTimeException("Stopped", FailureKind.OperationTimeout, "Stopped.", e),
            OperationCanceledException or SshOperationTimeoutException or TimeoutException => new KvmTimeException("ConnectTimeout", FailureKind.OperationTimeout,
                $"{ComputerName}: no SSH answer within {options.ConnectTimeout.TotalSeconds:0} s. Check that sshd runs there and the port is right, or raise -ConnectTimeout.", e),
            SocketException s => new KvmTimeException("HostUnreachable", FailureKind.ConnectionError,
                $"{ComputerName}: cannot connect ({s.SocketErrorCode}). Check the name, the port and the firewall.", e),
            SshAuthenticationException => new KvmTimeException("AuthenticationFailed", FailureKind.AuthenticationError,
                $"{ComputerName}: {options.UserName} was not accepted ({e.Message}). Check -UserName, -KeyFilePath or -Credential.", e),
            SshException => new KvmTimeException("SshProtocolError", FailureKind.ConnectionError, $"{ComputerName}: {e.Message}", e),
            KvmTimeException k => k,
            _ => new KvmTimeException("HostUnreachable", FailureKind.ConnectionError, $"{ComputerName}: {e.Message}", e),
        });
    }

    private KvmTimeException WithName(KvmTimeException e) =>
        e.ComputerName is null ? new KvmTimeException(e.ErrorId, e.Kind, e.Message, e.InnerException) { ComputerName = ComputerName } : e;

    private IEnumerable<AuthenticationMethod> AuthenticationMethods()
    {
        if (options.KeyFilePath is not null)
        {
            PrivateKeyFile key;
            try
            {
                key = options.KeyPassphrase is null ? new PrivateKeyFile(options.KeyFilePath) : new PrivateKeyFile(options.KeyFilePath, options.KeyPassphrase);
            }
            catch (Exception e) when (e is IOException or SshException or UnauthorizedAccessException or ArgumentException)
            {
                throw new KvmTimeException("KeyFileUnreadable", FailureKind.InvalidArgument,
                    $"Cannot read the private key {options.KeyFilePath}: {e.Message}. Check the path and -KeyPassphrase.", e) { ComputerName = ComputerName };
            }

            yield return new PrivateKeyAuthenticationMethod(options.UserName, key);
        }

        if (options.Password is not null)
        {
            yield return new PasswordAuthenticationMethod(options.UserName, options.Password);
            var interactive = new KeyboardInteractiveAuthenticationMethod(options.UserName);
            interactive.AuthenticationPrompt += (_, e) =>
            {
                foreach (var prompt in e.Prompts)
                {
                    prompt.Response = options.Password;
                }
            };
            yield return interactive;
        }

        if (options.KeyFilePath is null && options.Password is null)
        {
            foreach (var path in DefaultKeyFiles())
            {
                yield return new PrivateKeyAuthenticationMethod(options.UserName, new PrivateKeyFile(path));
            }
        }
    }

    // Like OpenSSH: with no key or password given, try the user's default identities.
    private static IEnumerable<string> DefaultKeyFiles()
    {
        var ssh = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => Path.Combine(ssh, n)).Where(File.Exists);
    }

    // Offer only the algorithms of key types known_hosts already holds for this host, so a server with
    // several keys presents the one we can verify. With nothing known, offer everything.
    private static void OfferOnlyKnownKeyTypes(ConnectionInfo connection, IReadOnlyList<string> knownTypes)
    {
        if (knownTypes.Count == 0)
        {
            return;
        }

        var allowed = knownTypes.SelectMany(t => t == "ssh-rsa" ? new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" } : new[] { t }).ToHashSet(StringComparer.Ordinal);
        foreach (var name in connection.HostKeyAlgorithms.Keys.Where(k => !allowed.Contains(k)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(name);
        }
    }
}
