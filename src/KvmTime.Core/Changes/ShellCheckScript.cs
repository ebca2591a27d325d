using System.Globalization;
using System.Text;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// The part of the apply script that lets the target's own /bin/sh read a planned shell file before it
/// is written, the way grub-mkconfig will source it: in a throw-away directory, with a minimal
/// environment and no input, first the old text, then the new one.
/// </summary>
internal static class ShellCheckScript
{
    // Variables sh itself changes from one run to the next.
    private const string Volatile = "PPID|_|LINENO|RANDOM|SECONDS|BASHPID|SRANDOM|EPOCHSECONDS|EPOCHREALTIME|BASH_COMMAND|BASH_ARGV0|PWD|OLDPWD";

    public static void Append(StringBuilder s, PlannedFile file, int i)
    {
        if (file.ShellCheck is null)
        {
            return;
        }

        var path = file.Path;
        var names = string.Join(' ', file.ShellCheck.Expected.Keys);
        s.Append(CultureInfo.InvariantCulture, $"d=$(mktemp -d) || fail {ApplyScript.WriteFailed} {ShellQuote.Single("could not make a temporary directory to check " + path)}\n");
        s.Append(CultureInfo.InvariantCulture, $"printf '%s' \"${{old{i}-}}\" > \"$d/old\" && printf '%s' \"$new{i}\" > \"$d/planned\" || {{ rm -rf \"$d\"; fail {ApplyScript.WriteFailed} {ShellQuote.Single("could not stage " + path + " for checking")}; }}\n");
        s.Append(CultureInfo.InvariantCulture, $"err=$(cd \"$d\" && /bin/sh -n planned 2>&1) || {{ rm -rf \"$d\"; fail {ApplyScript.NotShell} {ShellQuote.Single(path + " as planned is not sh (sh -n):")} \"$err\"; }}\n");
        s.Append("sourced() { ( cd \"$d\" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin /bin/sh -c \". \\\"./\\$1\\\" </dev/null >/dev/null 2>&1; $2\" sh \"$1\" \"$2\" ); }\n");
        s.Append(CultureInfo.InvariantCulture, $"sourced old 'unset {names}; set' | grep -v -E '^({Volatile})=' > \"$d/old.set\"\n");
        s.Append(CultureInfo.InvariantCulture, $"sourced planned 'unset {names}; set' | grep -v -E '^({Volatile})=' > \"$d/new.set\"\n");
        s.Append(CultureInfo.InvariantCulture, $"cmp -s \"$d/old.set\" \"$d/new.set\" || {{ why=$(diff \"$d/old.set\" \"$d/new.set\" 2>/dev/null | head -n 6); rm -rf \"$d\"; fail {ApplyScript.ShellCheckFailed} {ShellQuote.Single(path + ": sourcing the planned file changes variables other than " + names + ":")} \"$why\"; }}\n");
        foreach (var (name, expected) in file.ShellCheck.Expected)
        {
            var what = ShellQuote.Single($"{path}: the target's sh reads {name} as");
            s.Append(CultureInfo.InvariantCulture, $"got=$(sourced planned 'printf \"%sx\" \"${name}\"')\n");
            s.Append(CultureInfo.InvariantCulture, $"[ \"$got\" = {ShellQuote.Single(expected + "x")} ] || {{ rm -rf \"$d\"; fail {ApplyScript.ShellCheckFailed} {what} \"'${{got%x}}'\" {ShellQuote.Single("where KvmTime planned '" + expected + "'")}; }}\n");
        }

        s.Append("rm -rf \"$d\"\n");
    }
}
