using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using KvmTime.Resources;
using KvmTime.Targets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KvmTime.Ssh;

/// <summary>
/// Opens one SSH connection: -ConnectTimeout covers the TCP connect and the server's banner, as
/// ssh's ConnectTimeout does; the key exchange and authentication that follow have their own
/// budget (<see cref="SshConnectionOptions.HandshakeTimeout"/>), so a busy server is slow, not failing.
/// A connection sshd drops before its banner (stock MaxStartups 10:30:100 drops at random once
/// ten logins are pending) is tried again after a short random pause.
/// </summary>
internal static class SshConnector
{
    private const int MaxAttempts = 6;

    public static async Task<SshClient> OpenAsync(SshConnectionOptions options, CancellationToken cancellationToken)
    {
        var name = options.DisplayName;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await OpenOnceAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (DroppedBeforeBannerException dropped) when (attempt < MaxAttempts)
            {
                var pause = TimeSpan.FromMilliseconds((125 << attempt) + Random.Shared.Next(250));
                TargetLog.Verbose(name, $"sshd closed the connection before its banner ({dropped.InnerException?.Message}); a full MaxStartups does that. Trying again in {pause.TotalMilliseconds:0} ms (attempt {attempt + 1} of {MaxAttempts}).");
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
            catch (DroppedBeforeBannerException dropped)
            {
                throw new KvmTimeException(ErrorIds.ConnectionDropped, FailureKind.ConnectionError,
                    string.Format(CultureInfo.InvariantCulture, Messages.ConnectionDropped, name, MaxAttempts, dropped.InnerException?.Message),
                    dropped.InnerException) { ComputerName = name };
            }
        }
    }

    private static async Task<SshClient> OpenOnceAsync(SshConnectionOptions options, CancellationToken cancellationToken)
    {
        var name = options.DisplayName;
        var policy = new HostKeyPolicy(options);
        var authentication = SshAuthentication.For(options);
        var connection = new ConnectionInfo(options.Host, options.Port, options.UserName, authentication.Methods)
        {
            Timeout = options.HandshakeTimeout, // SSH.NET's wait for each reply during key exchange and login
        };
        OfferOnlyKnownKeyTypes(connection, policy.KnownKeyTypes);
        OfferKeyExchanges(connection, options.KeyExchangeAlgorithms);
        Sntrup761X25519KeyExchange.Install(connection);
        var handshake = KeyExchangeSessionCapture.Install(connection);

        var ssh = new SshClient(connection);
        ssh.HostKeyReceived += (_, e) => e.CanTrust = policy.Decide(e.HostKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        string? banner = null;
        var watch = Stopwatch.StartNew();
        long bannerAt = 0;
        ssh.ServerIdentificationReceived += (_, e) =>
        {
            // From here the handshake budget applies, not -ConnectTimeout.
            banner = e.SshIdentification.ToString();
            bannerAt = watch.ElapsedMilliseconds;
            timeout.CancelAfter(options.HandshakeTimeout);
        };
        TargetLog.Verbose(name, $"connecting as {options.UserName} (connect and banner within {options.ConnectTimeout.TotalSeconds:0} s, key exchange and login within {options.HandshakeTimeout.TotalSeconds:0} s); offering {authentication.Description}");
        var connecting = ssh.ConnectAsync(timeout.Token);
        try
        {
            await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested(); // stopped just as the login finished
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested && !connecting.IsCompleted)
        {
            // Stopped (Ctrl-C) while SSH.NET waits without a token inside its key exchange or login:
            // close its session's socket, which ends those waits, and the client once SSH.NET lets go.
            handshake.Abort();
            _ = connecting.ContinueWith(
                done =>
                {
                    _ = done.Exception; // observed: the outcome no longer matters
                    ssh.Dispose();
                },
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw SshFailures.FromConnect(e, policy, options, banner is not null, cancellationToken);
        }
        catch (Exception e)
        {
            ssh.Dispose();
            if (banner is null && IsDroppedBeforeBanner(e, cancellationToken))
            {
                throw new DroppedBeforeBannerException(e);
            }

            throw SshFailures.FromConnect(e, policy, options, banner is not null, cancellationToken);
        }

        var keyExchange = ssh.ConnectionInfo.CurrentKeyExchangeAlgorithm ?? "unknown";
        TargetLog.Verbose(name, $"banner '{banner}' after {bannerAt} ms; key exchange {keyExchange} ({handshake.Implementation}); {policy.Describe()}; logged in as {options.UserName} after {watch.ElapsedMilliseconds} ms");
        WarnIfNotPostQuantum(options, keyExchange);
        policy.PersistIfNew();
        return ssh;
    }

    // Never a silent downgrade: like OpenSSH 10.1, say so when the server offered no post-quantum method.
    // A method chosen with -KeyExchangeAlgorithm was a decision, not a downgrade.
    private static void WarnIfNotPostQuantum(SshConnectionOptions options, string keyExchange)
    {
        if (options.KeyExchangeAlgorithms is null && !KeyExchangeChoice.IsPostQuantum(keyExchange))
        {
            TargetLog.Warning(options.DisplayName,
                $"the connection uses {keyExchange}, which is not post-quantum: the server offers none of {string.Join(", ", KeyExchangeChoice.PostQuantum)}. " +
                "Traffic recorded now could be decrypted by a future quantum computer. Upgrade the server's OpenSSH (9.0 or later), or choose a method with -KeyExchangeAlgorithm.");
        }
    }

    // Re-adds the library's key exchange factories in the order to offer; the server picks the first
    // of ours it supports, so the order is the preference.
    private static void OfferKeyExchanges(ConnectionInfo connection, IReadOnlyList<string>? chosen)
    {
        var factories = connection.KeyExchangeAlgorithms.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var offer = KeyExchangeChoice.Offer(factories.Keys.ToList(), chosen);
        connection.KeyExchangeAlgorithms.Clear();
        foreach (var algorithm in offer)
        {
            connection.KeyExchangeAlgorithms.Add(algorithm, factories[algorithm]);
        }
    }

    // A refused or unreachable port is an answer, not a drop; a timeout is reported as one.
    private static bool IsDroppedBeforeBanner(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException or SshOperationTimeoutException or TimeoutException => false,
        SocketException s => s.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted,
        SshConnectionException => !cancellationToken.IsCancellationRequested,
        IOException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    // Offer only the algorithms of key types known_hosts already holds for this host, so a server with
    // several keys presents the one we can verify. With nothing known, offer everything.
    private static void OfferOnlyKnownKeyTypes(ConnectionInfo connection, IReadOnlyList<string> knownTypes)
    {
        if (knownTypes.Count == 0)
        {
            return;
        }

        var allowed = knownTypes.SelectMany(t => t == "ssh-rsa" ? new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" } : new[] { t }).ToHashSet(StringComparer.Ordinal);
        foreach (var algorithm in connection.HostKeyAlgorithms.Keys.Where(k => !allowed.Contains(k)).ToList())
        {
            connection.HostKeyAlgorithms.Remove(algorithm);
        }
    }

    private sealed class DroppedBeforeBannerException(Exception inner) : Exception(inner.Message, inner);
}
