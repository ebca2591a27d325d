using CsCheck;
using KvmTime.Linux;
using KvmTime.Linux.Boot;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// Properties of the editor over generated /etc/default/grub and cmdline files: quoting styles,
/// separators, comments, other variables, and arguments that resemble the managed ones.
/// </summary>
public class BootEditPropertyTests
{
    // Arguments the edits below never manage, some chosen to look like the managed ones.
    private static readonly Gen<string> Unrelated = Gen.OneOf(
        "quiet", "splash", "ro", "rhgb", "crashkernel=auto", "rd.lvm.lv=rhel/root", "console=ttyS0,115200n8",
        "clocksource.max_cswd_read_retries=5", "notsc.x=1", "tsc=nowatchdog", "no-kvmclock-vsyscall",
        "resume=/dev/mapper/rhel-swap", "processor.max_cstate=1", "dyndbg=\"file a.c +p\"");

    private static readonly Gen<string> Separator = Gen.OneOf(" ", " ", "  ", "\t", " \n  ");

    private static readonly Gen<string> Clocksource = Gen.OneOf("tsc", "kvm-clock", "hpet", "acpi_pm");

    private static readonly Gen<string> OtherLine = Gen.OneOf(
        "GRUB_TIMEOUT=5\n", "# GRUB_CMDLINE_LINUX=\"clocksource=hpet\"\n", "\n", "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n",
        "GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\n", "GRUB_CMDLINE_XEN=\"clocksource=xen\"\n", "GRUB_ENABLE_BLSCFG=true\n");

    // A value: unrelated arguments joined by separators, optionally with leading/trailing blanks.
    private static readonly Gen<string> Value =
        Gen.Select(Unrelated.List[0, 5], Separator, Gen.OneOf(string.Empty, " ", "\t"), Gen.OneOf(string.Empty, " "),
            (args, sep, lead, trail) => args.Count == 0 ? lead : lead + string.Join(sep, args) + trail);

    private static readonly Gen<char> Quote = Gen.OneOf('"', '\'');

    private static string Quoted(string value, char quote) =>
        quote + (quote == '"' ? value.Replace("\"", "\\\"", StringComparison.Ordinal) : value) + quote;

    private static readonly Gen<string> GrubFile =
        Gen.Select(OtherLine.List[0, 3], Value, Quote, Gen.Bool, Value, Quote,
            (before, linux, q1, withDefault, def, q2) =>
                string.Concat(before) +
                (withDefault ? $"GRUB_CMDLINE_LINUX_DEFAULT={Quoted(def, q2)}\n" : string.Empty) +
                $"GRUB_CMDLINE_LINUX={Quoted(linux, q1)}\n")
        .Select(OtherLine.List[0, 3], (head, after) => head + string.Concat(after));

    private static readonly Gen<KernelArgumentEdit> SetEdit =
        Gen.Select(Clocksource, Gen.Bool, Gen.Bool, (c, reliable, noKvm) => Set(
            new[] { "clocksource=" + c, reliable ? "tsc=reliable" : null, noKvm ? "no-kvmclock" : null }.OfType<string>().ToArray()));

    private static KernelArgumentEdit Undo(KernelArgumentEdit edit) =>
        KernelArgumentEdit.Create([], edit.Set.Select(a => KernelArgumentEdit.IsRepeatable(a.Name) ? a : new KernelArgument(a.Name, null)));

    private static bool IsManaged(string word, KernelArgumentEdit edit) =>
        edit.Set.Any(a => KernelArgumentEdit.Matches(a, Arg(word), byValue: true));

    private static IReadOnlyList<string> Effective(string grub) =>
        GrubDefaultEditor.EffectiveArguments([new BootFile(GrubDefaultEditor.DefaultPath, grub)]);

    [Fact]
    public void Applying_then_removing_restores_the_grub_file_byte_for_byte() =>
        Gen.Select(GrubFile, SetEdit).Sample((file, edit) =>
        {
            var applied = EditGrub(file, edit);
            Assert.NotEqual(file, applied);
            Assert.Equal(file, EditGrub(applied, Undo(edit)));
        }, iter: 2000);

    [Fact]
    public void Applying_twice_equals_applying_once_even_when_old_values_are_present() =>
        Gen.Select(GrubFile, SetEdit, Clocksource).Sample((file, edit, old) =>
        {
            var withOld = EditGrub(file, Set("clocksource=" + old));
            var once = EditGrub(withOld, edit);
            Assert.Equal(once, EditGrub(once, edit));
        }, iter: 2000);

    [Fact]
    public void Unrelated_arguments_are_never_touched_and_managed_ones_appear_exactly_once() =>
        Gen.Select(GrubFile, SetEdit, Clocksource).Sample((file, edit, old) =>
        {
            var withOld = EditGrub(file, Set("clocksource=" + old));
            var applied = EditGrub(withOld, edit);
            Assert.Equal(Effective(withOld).Where(w => !w.StartsWith("clocksource=", StringComparison.Ordinal) && !IsManaged(w, edit)),
                Effective(applied).Where(w => !IsManaged(w, edit)));
            foreach (var wanted in edit.Set)
            {
                Assert.Single(Effective(applied), w => w == wanted.ToString());
            }
        }, iter: 2000);

    [Fact]
    public void Plain_command_lines_round_trip_and_are_idempotent() =>
        Gen.Select(Value, Gen.OneOf(string.Empty, "\n"), SetEdit).Sample((value, newline, edit) =>
        {
            var text = value.Replace("\n", " ", StringComparison.Ordinal) + newline;
            var applied = KernelCmdlineEditor.EditArguments(text, edit);
            Assert.Equal(applied, KernelCmdlineEditor.EditArguments(applied, edit));
            Assert.Equal(text, KernelCmdlineEditor.EditArguments(applied, Undo(edit)));
        }, iter: 2000);
}
