using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;
using Renci.SshNet;

namespace KvmTime.Ssh;

/// <summary>
/// A Linux machine reached over SSH. One connection serves every command through a few warm
/// shells, so a session can be reused by many cmdlets and parallel runspaces.
/// </summary>
internal sealed class SshTarget : ITarget, IConnectionState, IHasSshOptions, IDisposable
{
    /// <summary>
    /// Shells (SSH channels) one connection runs at once. Stock sshd allows 10 sessions per
    /// connection (MaxSessions); calls beyond this wait for a shell, they never fail.
    /// </summary>
    public const int MaxShellsPerConnection = 8;

    private readonly SshConnectionOptions options;
    private readonly SemaphoreSlim connectLock = new(1, 1);
    private readonly SemaphoreSlim shellLeases = new(MaxShellsPerConnection, MaxShellsPerConnection);
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
            client = await SshConnector.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connectLock.Release();
        }
    }

    public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken) =>
        ShellGather.RunAsync(this, request, cancellationToken);

    public async Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CommandTimeout);
        try
        {
            // stdin travels inside the script (a quoted printf builtin piped into it), so every call
            // shares the warm shells and sudo's stdin only ever carries the password it asked for.
            var body = standardInput is null ? script : StandardInputScript.Feed(script, standardInput);
            return await RunInWarmShellAsync(body, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KvmTimeException(ErrorIds.CommandTimeout, FailureKind.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, Messages.CommandTimeout, ComputerName, options.CommandTimeout.TotalSeconds))
            { ComputerName = ComputerName };
        }
    }

    private bool NeedsSudo => options.UseSudo && options.UserName != "root";

    private async Task<CommandResult> RunInWarmShellAsync(string script, CancellationToken cancellationToken)
    {
        await shellLeases.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var shell = TakeIdleShell() ?? await StartShellAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var watch = Stopwatch.StartNew();
                // WaitAsync: a read blocked inside SSH.NET ends when the shell is disposed below.
                var result = await shell.RunAsync(script, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
                TargetLog.Verbose(ComputerName, $"script of {script.Length} characters ran in {watch.ElapsedMilliseconds} ms (exit {result.ExitCode}, {result.StandardOutput.Length} characters back)");
                idleShells.Add(shell);
                return result;
            }
            catch
            {
                shell.Dispose();
                throw;
            }
        }
        finally
        {
            shellLeases.Release();
        }
    }

    private async Task<PersistentShell> StartShellAsync(CancellationToken cancellationToken)
    {
        if (!NeedsSudo)
        {
            return await PersistentShell.StartAsync(client!, null, null, cancellationToken).ConfigureAwait(false);
        }

        var sudo = new SudoHandshake(LinuxGatherScript.NewNonce(), ComputerName);
        var shell = await PersistentShell.StartAsync(client!, sudo, options.Password, cancellationToken).ConfigureAwait(false);
        TargetLog.Verbose(ComputerName, sudo.PasswordSent
            ? "sudo asked for a password; it went to sudo's prompt only"
            : "sudo started a root shell without asking for a password");
        return shell;
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

    public void Dispose()
    {
        DisposeIdleShells();
        client?.Dispose();
        connectLock.Dispose();
    }
}
