using System.Globalization;
using KvmTime.Targets;

namespace KvmTime.Host;

/// <summary>
/// The long poll Watch-GuestTime runs on the KVM host: <c>virsh event --all --loop --timestamp</c>
/// into a temporary file (unlinked at once), ended a short settle time after the first event arrives (so a
/// burst such as "Started Restored" then "Resumed" comes back in one answer) or after the timeout.
/// Every kind of target can run it, since it is one bounded command; the next poll starts at once.
/// </summary>
internal static class VirshEventCommands
{
    /// <summary>How long the poll keeps listening after the first event, for the rest of its burst.</summary>
    public const double SettleSeconds = 0.1;

    // The file is unlinked as soon as it is open, so even a killed poll leaves nothing behind. A read
    // that hits the end of the file mid-line keeps what it got and goes on.
    public static string NextEvents(string uri, int timeoutSeconds) => string.Create(CultureInfo.InvariantCulture, $"""
        f=$(mktemp) || exit 1
        exec 3>"$f" 4<"$f"
        rm -f "$f"
        LC_ALL=C timeout {timeoutSeconds} virsh -q -c {ShellQuote.Single(uri)} event --all --loop --timestamp >&3 2>&1 &
        p=$!
        trap 'kill $p 2>/dev/null' EXIT
        line=
        got=
        while kill -0 $p 2>/dev/null; do
          if IFS= read -r part <&4; then line="$line$part"; got=1; break; fi
          line="$line$part"
          sleep 0.1
        done
        [ -n "$got" ] && sleep {SettleSeconds}
        kill $p 2>/dev/null
        wait $p; rc=$?
        [ -n "$line" ] && printf '%s\n' "$line"
        cat <&4
        case $rc in 0|124|143) exit 0 ;; *) exit $rc ;; esac
        """);
}
