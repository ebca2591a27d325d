using System.Text;
using KvmTime.Targets;

namespace KvmTime.Changes;

/// <summary>
/// The rollback journal of one change: a sh script, written and flushed before the first file is
/// touched and deleted at the commit, that puts every file back (a planned file from its backup, a
/// new one removed, grub.cfg from its copy) and removes the temp files. The trap runs it on any exit
/// before the commit; the next change runs it when this one was killed outright. Each step holds
/// whether or not the step it undoes had happened, so running it again is harmless.
/// </summary>
internal static class RollbackJournal
{
    public static string Temp(PlannedFile file, string nonce) => file.Path + ".kvmtime-tmp-" + nonce;

    public static string BackupPart(PlannedFile file, string nonce) => file.BackupPath + ".part-" + nonce;

    public static string Copy(string generated, string nonce) => generated + ".kvmtime-gen-" + nonce;

    public static string CopyPart(string generated, string nonce) => Copy(generated, nonce) + ".part";

    public static string DirectoryOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    /// <summary>Shell lines that write the journal and the cleanup script atomically and flush them.</summary>
    public static void Append(StringBuilder s, ChangePlan plan, string nonce, int failCode)
    {
        var q = ShellQuote.Single;
        var rollback = new List<string>();
        foreach (var file in plan.Files)
        {
            rollback.Add(file.BackupPath is null
                ? $"rm -f {q(file.Path)} || exit 1"
                : $"if [ -e {q(file.BackupPath)} ]; then mv -f {q(file.BackupPath)} {q(file.Path)} || exit 1; fi");
        }

        var cleanup = TempFiles(plan, nonce).Select(t => "rm -f " + q(t)).ToList();
        s.Append("{ printf '%s\\n' ").Append(string.Join(' ', rollback.Select(q))).Append(" :\n");
        foreach (var generated in plan.GeneratedFiles)
        {
            // Decided now: a grub.cfg that exists goes back from its copy, one that did not is removed.
            var restore = $"if [ -e {q(Copy(generated, nonce))} ]; then mv -f {q(Copy(generated, nonce))} {q(generated)} || exit 1; fi";
            s.Append("  if [ -e ").Append(q(generated)).Append(" ]; then printf '%s\\n' ").Append(q(restore))
                .Append("; else printf '%s\\n' ").Append(q("rm -f " + q(generated) + " || exit 1")).Append("; fi\n");
        }

        s.Append("  printf '%s\\n' ").Append(string.Join(' ', cleanup.Append("sync").Select(q))).Append("\n} > \"$J.part\"")
            .Append(" && flush \"$J.part\" && printf '%s\\n' ").Append(string.Join(' ', cleanup.Select(q)))
            .Append(" > \"$C.part\" && flush \"$C.part\" && mv -f \"$C.part\" \"$C\" && mv -f \"$J.part\" \"$J\" && flushdir \"$K\" || { rm -f \"$J.part\" \"$C.part\"; fail ")
            .Append(failCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" \"could not write the rollback journal $J\"; }\n");
    }

    private static IEnumerable<string> TempFiles(ChangePlan plan, string nonce)
    {
        foreach (var file in plan.Files)
        {
            yield return Temp(file, nonce);
            if (file.BackupPath is not null)
            {
                yield return BackupPart(file, nonce);
            }
        }

        foreach (var generated in plan.GeneratedFiles)
        {
            yield return Copy(generated, nonce);
            yield return CopyPart(generated, nonce);
        }
    }
}
