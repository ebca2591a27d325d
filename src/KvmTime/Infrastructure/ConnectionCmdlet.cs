using System.Management.Automation;
using System.Net;
using System.Security;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// The SSH connection parameters every KvmTime cmdlet shares, and the concurrent fan-out over
/// targets: results and errors are written on the pipeline thread as each target finishes.
/// </summary>
public abstract class ConnectionCmdlet : PSCmdlet, IDisposable
{
    private const int ProgressActivityId = 0x4B54;
    private readonly CancellationTokenSource stopping = new();
    private readonly PipelineQueue pipeline = new();
    private readonly ParsedFileCache parsedFiles = new();
    private FanOut<IReadOnlyList<object>>? fanOut;
    private int started;
    private int completed;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> warned = new(StringComparer.Ordinal);
    private TargetLogSink? targetLog;

    /// <summary>The machines to work on: host, host:port or [ipv6]:port. Omit it for the local machine.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, HelpMessage = "The machines to work on (host, host:port); omit for the local machine.")]
    [Alias("CN", "HostName", "PSComputerName")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ComputerNameCompleter))]
    public string[]? ComputerName { get; set; }

    /// <summary>Host names piped in as plain strings; hidden, they count as -ComputerName.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public HostNameInput[]? PipedComputerName { get; set; }

    /// <summary>The machines of this pipeline record: piped strings, else -ComputerName.</summary>
    protected string[]? TargetNames => PipedComputerName is { Length: > 0 } piped ? piped.Select(p => p.Name).ToArray() : ComputerName;

    [Parameter(HelpMessage = "The SSH port, when -ComputerName does not say host:port.")]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    [Parameter(HelpMessage = "The SSH user name; default: the user of -Credential, else the current user.")]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    [Parameter(HelpMessage = "User name and password for SSH password authentication and for sudo.")]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(HelpMessage = "The private key file for SSH public key authentication.")]
    [ValidateNotNullOrEmpty]
    public string? KeyFilePath { get; set; }

    [Parameter(HelpMessage = "The passphrase of -KeyFilePath.")]
    public SecureString? KeyPassphrase { get; set; }

    [Parameter(HelpMessage = "The OpenSSH known_hosts file to verify host keys against; default ~/.ssh/known_hosts.")]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    [Parameter(HelpMessage = "Trust an unknown host key on first use and append it to known_hosts. A changed key is always refused.")]
    public SwitchParameter AcceptNewHostKey { get; set; }

    [Parameter(HelpMessage = "The SSH key exchange methods to offer, in order; default: all, post-quantum first (mlkem768x25519-sha256, sntrup761x25519-sha512).")]
    [ValidateNotNullOrEmpty]
    [ValidateKeyExchange]
    [ArgumentCompleter(typeof(KeyExchangeCompleter))]
    public string[]? KeyExchangeAlgorithm { get; set; }

    [Parameter(HelpMessage = "Seconds for the TCP connect and the SSH banner (the key exchange and login then get 60 s of their own).")]
    [ValidateRange(1, 3600)]
    public int ConnectTimeout { get; set; } = 10;

    [Parameter(HelpMessage = "Seconds to wait for a remote command.")]
    [ValidateRange(1, 86400)]
    public int CommandTimeout { get; set; } = 60;

    [Parameter(HelpMessage = "Run remote commands through sudo; the -Credential password answers sudo's own prompt, only when it asks.")]
    public SwitchParameter UseSudo { get; set; }

    [Parameter(HelpMessage = "How many targets are worked on at once.")]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    public void Dispose()
    {
        fanOut?.Dispose();
        pipeline.Dispose();
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The targets of this pipeline input, each with whether this cmdlet owns (and so closes) it.</summary>
    private protected abstract IEnumerable<(ITarget Target, bool Owned, KvmTimeSession? Session)> ResolveTargets();

    /// <summary>The cmdlet's work on one target, on a worker thread: no Write* here, use the *FromWorker helpers.</summary>
    private protected abstract Task<IReadOnlyList<object>> InvokeOnTargetAsync(ITarget target, CancellationToken cancellationToken);

    /// <summary>Asks ShouldProcess on the pipeline thread, from a worker, so -WhatIf and -Confirm work with fan-out.</summary>
    protected Task<bool> ShouldProcessFromWorker(string target, string action) => AskFromWorker(() => ShouldProcess(target, action));

    /// <summary>
    /// The same with the full text -WhatIf prints (e.g. an exact diff) and the text -Confirm asks with;
    /// also says whether the answer was no because of -WhatIf.
    /// </summary>
    private protected Task<(bool Approved, bool WhatIf)> ShouldProcessFromWorker(string verboseDescription, string verboseWarning, string caption) =>
        AskFromWorker(() =>
        {
            var approved = ShouldProcess(verboseDescription, verboseWarning, caption, out var reason);
            return (approved, reason == ShouldProcessReason.WhatIf);
        });

    /// <summary>
    /// Asks for one change the way every KvmTime change asks: -WhatIf prints the standard "What if:
    /// Performing the operation ..." line and then the exact change, -Confirm asks with the same text.
    /// </summary>
    private protected Task<(bool Approved, bool WhatIf)> ConfirmChangeFromWorker(string action, string target, string change)
    {
        var (description, warning) = ChangePrompt.For(action, target, change);
        return ShouldProcessFromWorker(description, warning, ChangePrompt.Caption);
    }

    private Task<T> AskFromWorker<T>(Func<T> ask)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = pipeline.TryPost(() =>
        {
            try
            {
                answer.SetResult(ask());
            }
            catch (Exception e)
            {
                answer.SetException(e);
            }
        });
        if (!posted)
        {
            answer.SetCanceled(); // the cmdlet has ended: nobody is left to ask
        }

        return answer.Task;
    }

    protected void WriteWarningFromWorker(string text) => pipeline.Post(() => WriteWarning(text));

    // A fan-out to 500 hosts with an encrypted default key warns once, not 500 times.
    private void WriteWarningOnceFromWorker(string text)
    {
        var withoutHost = text[(text.IndexOf(": ", StringComparison.Ordinal) + 1)..];
        if (warned.TryAdd(withoutHost, true))
        {
            WriteWarningFromWorker(text);
        }
    }

    /// <summary>Writes one non-terminating error from a worker, for work that covers several items (e.g. guests on one host) where one may fail alone.</summary>
    protected void WriteErrorFromWorker(Exception error, string targetName) => pipeline.Post(() => WriteError(ErrorMapping.ToErrorRecord(error, targetName)));

    protected void WriteVerboseFromWorker(string text) => pipeline.Post(() => WriteVerbose(text));

    /// <summary>Writes a result as soon as it is ready, for cmdlets that keep running (Watch-GuestTime).</summary>
    protected void WriteObjectFromWorker(object item) => pipeline.Post(() => WriteObject(item));

    protected override void ProcessRecord()
    {
        fanOut ??= new FanOut<IReadOnlyList<object>>(ThrottleLimit, outcome => pipeline.Post(() => Emit(outcome)));
        foreach (var (target, owned, session) in SafeResolveTargets())
        {
            Interlocked.Increment(ref started);
            fanOut.Start(target.ComputerName, ct => RunAsync(target, owned, session, ct), stopping.Token);
        }

        pipeline.RunReady();
    }

    protected override void EndProcessing()
    {
        try
        {
            pipeline.RunUntil(() => Volatile.Read(ref completed) >= Volatile.Read(ref started), stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl-C: PowerShell stops the pipeline
        }

        if (started > 1)
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    protected override void StopProcessing() => stopping.Cancel();

    /// <summary>SSH options for one host, from this cmdlet's parameters.</summary>
    private protected SshConnectionOptions SshOptionsFor(string computerName)
    {
        var (host, port) = HostAddress.Parse(computerName);
        return new SshConnectionOptions
        {
            Host = host,
            Port = port ?? (Port > 0 ? Port : 22),
            UserName = UserName ?? Credential?.UserName ?? Environment.UserName,
            KeyFilePath = KeyFilePath is null ? null : GetUnresolvedProviderPathFromPSPath(KeyFilePath),
            KeyPassphrase = Plain(KeyPassphrase),
            Password = Plain(Credential?.Password),
            KnownHostsPath = KnownHostsPath is null ? KnownHosts.DefaultPath : GetUnresolvedProviderPathFromPSPath(KnownHostsPath),
            AcceptNewHostKey = AcceptNewHostKey,
            KeyExchangeAlgorithms = KeyExchangeAlgorithm,
            ParsedFiles = parsedFiles,
            ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeout),
            CommandTimeout = TimeSpan.FromSeconds(CommandTimeout),
            UseSudo = UseSudo,
        };
    }

    /// <summary>True when a name means this machine and nothing asks for SSH.</summary>
    private protected bool IsLocal(string name) =>
        (name is "." or "localhost" || string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        && Port == 0 && UserName is null && Credential is null && KeyFilePath is null;

    private static string? Plain(SecureString? secure) => secure is null ? null : new NetworkCredential(string.Empty, secure).Password;

    private IEnumerable<(ITarget, bool, KvmTimeSession?)> SafeResolveTargets()
    {
        try
        {
            return ResolveTargets().ToList();
        }
        catch (KvmTimeException e)
        {
            WriteError(ErrorMapping.ToErrorRecord(e, string.Join(",", TargetNames ?? [])));
            return [];
        }
    }

    private async Task<IReadOnlyList<object>> RunAsync(ITarget target, bool owned, KvmTimeSession? session, CancellationToken cancellationToken)
    {
        // The target's diagnostics (connect, host key, login, sudo, round trips) go to this call's streams.
        TargetLog.Current = targetLog ??= new TargetLogSink(WriteVerboseFromWorker, WriteWarningOnceFromWorker);
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var results = await InvokeOnTargetAsync(target, cancellationToken).ConfigureAwait(false);
            TargetLog.Verbose(target.ComputerName, $"{MyInvocation.MyCommand.Name} done in {watch.ElapsedMilliseconds} ms: " +
                (results.Count == 0 ? "no result" : string.Join(", ", results.GroupBy(r => (r is PSObject p ? p.BaseObject : r).GetType().Name).Select(g => $"{g.Count()} {g.Key}"))));
            return session is null ? results : results.Select(r => WithSession(r, session)).ToList();
        }
        finally
        {
            if (owned)
            {
                (target as IDisposable)?.Dispose();
            }
        }
    }

    // Output from a session carries it, so the next cmdlet in the pipeline reuses the connection.
    private static object WithSession(object result, KvmTimeSession session)
    {
        if (result is bool || result is string || result.GetType().IsPrimitive)
        {
            return result;
        }

        var wrapped = PSObject.AsPSObject(result);
        var property = new PSNoteProperty("Session", session);
        // Hidden, as a [Hidden] property would be: it still binds -Session by property name, but
        // stays out of ConvertTo-Json, Export-Csv and Format-List *. PowerShell sets IsHidden
        // internally; if a future version drops the setter, the property is merely visible.
        IsHiddenSetter?.Invoke(property, [true]);
        wrapped.Properties.Add(property);
        return wrapped;
    }

    private static readonly System.Reflection.MethodInfo? IsHiddenSetter =
        typeof(PSMemberInfo).GetProperty("IsHidden", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)?.GetSetMethod(nonPublic: true);

    private void Emit(FanOutOutcome<IReadOnlyList<object>> outcome)
    {
        completed++;
        if (outcome.Error is OperationCanceledException && stopping.IsCancellationRequested)
        {
            return;
        }

        if (outcome.Error is not null)
        {
            WriteError(ErrorMapping.ToErrorRecord(outcome.Error, outcome.TargetName));
        }
        else
        {
            foreach (var item in outcome.Result!)
            {
                WriteObject(item);
            }
        }

        if (started > 1)
        {
            WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, $"{completed} of {started} targets done (last: {outcome.TargetName})")
            {
                PercentComplete = (int)(100L * completed / started),
            });
        }
    }
}
