using System.Globalization;
using System.Text;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>
/// Starts a root shell through sudo and hands the password to sudo only when sudo asks for it.
/// sudo prints a prompt unique to this call on stderr when it wants a password; the shell it
/// starts prints a unique ready line on stderr before it reads anything. Until one of the two
/// appears, nothing is written to stdin, so a NOPASSWD rule, a cached timestamp or
/// '!authenticate' can never turn the password into a command line of the root shell.
/// </summary>
internal sealed class SudoHandshake
{
    private readonly string computerName;

    public SudoHandshake(string nonce, string computerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nonce);
        this.computerName = computerName;
        Prompt = $"[kvmtime-sudo-{nonce}] ";
        ReadyMarker = $"@@KVMTIME-SUDO-READY:{nonce}";
    }

    /// <summary>sudo's prompt for this call: no '%' (sudo expands those) and no newline, as sudo prints it.</summary>
    public string Prompt { get; }

    public string ReadyMarker { get; }

    /// <summary>True once sudo asked for the password and it was written.</summary>
    public bool PasswordSent { get; private set; }

    /// <summary>
    /// The command for the channel. LC_ALL=C keeps PAM's prompt the default "Password: ", which sudo
    /// replaces with ours; a localized PAM prompt would not be recognised.
    /// </summary>
    public string Command
    {
        get
        {
            var rootShell = "echo " + ReadyMarker + " >&2; exec sh";
            return "exec env LC_ALL=C sudo -S -p " + ShellQuote.Single(Prompt) + " -- sh -c " + ShellQuote.Single(rootShell);
        }
    }

    /// <summary>
    /// Reads sudo's stderr until the root shell is ready, answering one password prompt at most.
    /// A second prompt means the password was wrong: the caller closes the channel, so sudo
    /// never retries with anything.
    /// </summary>
    public async Task PassAsync(Stream standardError, Stream standardInput, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standardError);
        ArgumentNullException.ThrowIfNull(standardInput);
        if (password is not null && (password.Contains('\n', StringComparison.Ordinal) || password.Contains('\r', StringComparison.Ordinal)))
        {
            throw Failure(ErrorIds.InvalidSudoPassword, FailureKind.InvalidArgument, Messages.InvalidSudoPassword);
        }

        var decoder = new UTF8Encoding(false).GetDecoder();
        var seen = new StringBuilder();
        var bytes = new byte[1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        while (true)
        {
            var read = await standardError.ReadAsync(bytes, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw Ended(seen.ToString());
            }

            seen.Append(chars, 0, decoder.GetChars(bytes, 0, read, chars, 0));
            var text = seen.ToString();
            if (text.Contains(ReadyMarker + "\n", StringComparison.Ordinal))
            {
                return;
            }

            var prompts = CountOf(text, Prompt);
            if (prompts == 0 || (prompts == 1 && PasswordSent))
            {
                continue;
            }

            if (prompts > 1)
            {
                throw Failure(ErrorIds.SudoAuthenticationFailed, FailureKind.AuthenticationError,
                    Messages.SudoPasswordRefusedAgain);
            }

            if (password is null)
            {
                throw Failure(ErrorIds.SudoPasswordRequired, FailureKind.AuthenticationError,
                    Messages.SudoPasswordRequired);
            }

            await standardInput.WriteAsync(Encoding.UTF8.GetBytes(password + "\n"), cancellationToken).ConfigureAwait(false);
            await standardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            PasswordSent = true;
        }
    }

    /// <summary>sudo ended before the shell started: say why, from sudo's own words (which never hold the password).</summary>
    private KvmTimeException Ended(string stderr)
    {
        var said = stderr.Replace(Prompt, string.Empty, StringComparison.Ordinal).Trim();
        if (said.Contains("a terminal is required", StringComparison.Ordinal) || said.Contains("must have a tty", StringComparison.Ordinal))
        {
            return Failure(ErrorIds.SudoRequiresTty, FailureKind.PermissionDenied,
                string.Format(CultureInfo.InvariantCulture, Messages.SudoRequiresTty, said));
        }

        if (said.Contains("not in the sudoers", StringComparison.Ordinal) || said.Contains("not allowed to", StringComparison.Ordinal))
        {
            return Failure(ErrorIds.SudoNotAllowed, FailureKind.PermissionDenied, string.Format(CultureInfo.InvariantCulture, Messages.SudoNotAllowed, said));
        }

        if (said.Contains("incorrect password", StringComparison.Ordinal))
        {
            return Failure(ErrorIds.SudoAuthenticationFailed, FailureKind.AuthenticationError, string.Format(CultureInfo.InvariantCulture, Messages.SudoPasswordNotAccepted, said));
        }

        if (said.Contains("not found", StringComparison.Ordinal))
        {
            return Failure(ErrorIds.SudoNotInstalled, FailureKind.ObjectNotFound, string.Format(CultureInfo.InvariantCulture, Messages.SudoNotInstalled, said));
        }

        return Failure(ErrorIds.SudoFailed, FailureKind.PermissionDenied, string.Format(CultureInfo.InvariantCulture, Messages.SudoEndedEarly, said.Length == 0 ? Messages.SudoSaidNothing : said));
    }

    private KvmTimeException Failure(string errorId, FailureKind kind, string text) =>
        new(errorId, kind, string.Format(CultureInfo.InvariantCulture, Messages.ComputerPrefixed, computerName, text)) { ComputerName = computerName };

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
