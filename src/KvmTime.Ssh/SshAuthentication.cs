using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace KvmTime.Ssh;

/// <summary>
/// The login methods for one connection, in OpenSSH's order: -KeyFilePath, else the keys of
/// ssh-agent and the default identities; then the password of -Credential. A default key that
/// needs a passphrase is skipped with a warning naming it, and the next one is tried.
/// </summary>
internal sealed class SshAuthentication
{
    private SshAuthentication(AuthenticationMethod[] methods, string description)
    {
        Methods = methods;
        Description = description;
    }

    public AuthenticationMethod[] Methods { get; }

    /// <summary>What is offered, for -Verbose: methods and key files, never a secret.</summary>
    public string Description { get; }

    public static SshAuthentication For(SshConnectionOptions options)
    {
        var methods = new List<AuthenticationMethod>();
        var offered = new List<string>();
        var keys = new List<IPrivateKeySource>();
        if (options.KeyFilePath is not null)
        {
            keys.Add(ReadGivenKey(options));
            offered.Add($"publickey ({options.KeyFilePath})");
        }
        else if (options.Password is null)
        {
            var agent = SshAgentKeys.TryLoad(options.DisplayName);
            keys.AddRange(agent);
            if (agent.Count > 0)
            {
                offered.Add($"publickey ({agent.Count} from ssh-agent)");
            }

            foreach (var path in DefaultKeyFiles())
            {
                if (TryReadDefaultKey(options, path, options.DisplayName) is { } key)
                {
                    keys.Add(key);
                    offered.Add($"publickey ({path})");
                }
            }
        }

        if (keys.Count > 0)
        {
            methods.Add(new PrivateKeyAuthenticationMethod(options.UserName, keys.ToArray()));
        }

        if (options.Password is not null)
        {
            methods.Add(new PasswordAuthenticationMethod(options.UserName, options.Password));
            var interactive = new KeyboardInteractiveAuthenticationMethod(options.UserName);
            interactive.AuthenticationPrompt += (_, e) =>
            {
                foreach (var prompt in e.Prompts)
                {
                    prompt.Response = options.Password;
                }
            };
            methods.Add(interactive);
            offered.Add("password");
        }

        if (methods.Count == 0)
        {
            throw new KvmTimeException(ErrorIds.NoCredentials, FailureKind.AuthenticationError,
                string.Format(CultureInfo.InvariantCulture, Messages.NoCredentials, options.DisplayName))
            { ComputerName = options.DisplayName };
        }

        return new SshAuthentication(methods.ToArray(), string.Join(", ", offered));
    }

    // Parsed once per cmdlet call: every connection of a fan-out shares the key (signing keeps no state between calls).
    private static PrivateKeyFile Parse(SshConnectionOptions options, string path, string? passphrase) =>
        options.ParsedFiles is { } cache
            ? cache.GetOrParse(path, passphrase is null ? "plain" : "passphrase", () => NewKeyFile(path, passphrase))
            : NewKeyFile(path, passphrase);

    private static PrivateKeyFile NewKeyFile(string path, string? passphrase) =>
        passphrase is null ? new PrivateKeyFile(path) : new PrivateKeyFile(path, passphrase);

    private static PrivateKeyFile ReadGivenKey(SshConnectionOptions options)
    {
        try
        {
            return Parse(options, options.KeyFilePath!, options.KeyPassphrase);
        }
        catch (SshPassPhraseNullOrEmptyException e)
        {
            throw new KvmTimeException(ErrorIds.KeyFileNeedsPassphrase, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.KeyFileNeedsPassphrase, options.KeyFilePath), e) { ComputerName = options.DisplayName };
        }
        catch (Exception e) when (e is IOException or SshException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new KvmTimeException(ErrorIds.KeyFileUnreadable, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.KeyFileUnreadable, options.KeyFilePath, e.Message), e) { ComputerName = options.DisplayName };
        }
    }

    private static PrivateKeyFile? TryReadDefaultKey(SshConnectionOptions options, string path, string computerName)
    {
        try
        {
            return Parse(options, path, null);
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            TargetLog.Warning(computerName, $"skipped the default key {path}: it needs a passphrase. Give it with -KeyFilePath {path} -KeyPassphrase, or load it into ssh-agent.");
        }
        catch (Exception e) when (e is IOException or SshException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            TargetLog.Warning(computerName, $"skipped the default key {path}: {e.Message}");
        }

        return null;
    }

    // Like OpenSSH: with no key or password given, try the user's default identities.
    private static IEnumerable<string> DefaultKeyFiles()
    {
        var ssh = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
        return new[] { "id_ed25519", "id_ecdsa", "id_rsa" }.Select(n => Path.Combine(ssh, n)).Where(File.Exists);
    }
}
