namespace KvmTime.Targets;

/// <summary>Everything needed to open one SSH connection. Secrets stay out of ToString().</summary>
internal sealed record SshConnectionOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 22;

    public required string UserName { get; init; }

    public string? KeyFilePath { get; init; }

    public string? KeyPassphrase { get; init; }

    public string? Password { get; init; }

    public string KnownHostsPath { get; init; } = KnownHosts.DefaultPath;

    /// <summary>Trust an unknown host key on first use and append it to known_hosts. A changed key is never accepted.</summary>
    public bool AcceptNewHostKey { get; init; }

    /// <summary>The TCP connect and the server's banner, like ssh's ConnectTimeout.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The key exchange and login after the banner: a busy server is slow, not failing.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(60);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The key exchange methods to offer, in order; null offers every method, post-quantum hybrids
    /// first. A connection that ends up without a post-quantum one warns unless these were chosen.
    /// </summary>
    public IReadOnlyList<string>? KeyExchangeAlgorithms { get; init; }

    /// <summary>Private keys parsed once for the whole cmdlet call rather than once per connection.</summary>
    public ParsedFileCache? ParsedFiles { get; init; }

    /// <summary>Run every script through sudo; the password (if any) goes to sudo's own prompt, only when it asks.</summary>
    public bool UseSudo { get; init; }

    /// <summary>The name output objects carry: the host, with the port when it is not 22.</summary>
    public string DisplayName => Port == 22 ? Host : $"{Host}:{Port}";

    public override string ToString() => $"{UserName}@{DisplayName}";
}
