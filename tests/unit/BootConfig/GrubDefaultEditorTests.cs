using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

public class GrubDefaultEditorTests
{
    [Theory]
    [InlineData("rhel7-default-grub", "GRUB_CMDLINE_LINUX=\"crashkernel=auto rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet\"", "GRUB_CMDLINE_LINUX=\"crashkernel=auto rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet clocksource=kvm-clock\"")]
    [InlineData("rhel8-default-grub", "rhgb quiet\"", "rhgb quiet clocksource=kvm-clock\"")]
    [InlineData("rhel9-default-grub", "rhgb quiet\"", "rhgb quiet clocksource=kvm-clock\"")]
    [InlineData("ubuntu2204-default-grub", "GRUB_CMDLINE_LINUX=\"\"", "GRUB_CMDLINE_LINUX=\"clocksource=kvm-clock\"")]
    [InlineData("debian12-default-grub", "GRUB_CMDLINE_LINUX=\"\"", "GRUB_CMDLINE_LINUX=\"clocksource=kvm-clock\"")]
    [InlineData("sles15-default-grub", "GRUB_CMDLINE_LINUX=\"\"", "GRUB_CMDLINE_LINUX=\"clocksource=kvm-clock\"")]
    public void Real_distribution_files_change_only_in_GRUB_CMDLINE_LINUX(string sample, string before, string after)
    {
        var original = SampleFiles.ReadVerbatim("boot/documented_format/" + sample);

        var edited = EditGrub(original, Set("clocksource=kvm-clock"));

        Assert.Equal(original.Replace(before, after, StringComparison.Ordinal), edited);
        Assert.NotEqual(original, edited);
    }

    [Fact]
    public void An_existing_argument_is_replaced_in_place_not_duplicated()
    {
        var edited = EditGrub("GRUB_CMDLINE_LINUX=\"quiet clocksource=hpet splash\"\n", Set("clocksource=tsc"));

        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet clocksource=tsc splash\"\n", edited);
    }

    [Fact]
    public void The_argument_moves_out_of_GRUB_CMDLINE_LINUX_DEFAULT_so_nothing_overrides_it()
    {
        var text = "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet clocksource=hpet\"\nGRUB_CMDLINE_LINUX=\"ro\"\n";

        var edited = EditGrub(text, Set("clocksource=tsc"));

        Assert.Equal("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"ro clocksource=tsc\"\n", edited);
    }

    [Theory]
    [InlineData("GRUB_CMDLINE_LINUX='quiet'\n", "GRUB_CMDLINE_LINUX='quiet tsc=reliable'\n")]
    [InlineData("GRUB_CMDLINE_LINUX=''\n", "GRUB_CMDLINE_LINUX='tsc=reliable'\n")]
    [InlineData("GRUB_CMDLINE_LINUX=quiet\n", "GRUB_CMDLINE_LINUX=\"quiet tsc=reliable\"\n")]
    [InlineData("GRUB_CMDLINE_LINUX=\n", "GRUB_CMDLINE_LINUX=\"tsc=reliable\"\n")]
    [InlineData("export GRUB_CMDLINE_LINUX=\"a\"   # keep me\n", "export GRUB_CMDLINE_LINUX=\"a tsc=reliable\"   # keep me\n")]
    [InlineData("GRUB_CMDLINE_LINUX=\"a\"\r\nX=1\r\n", "GRUB_CMDLINE_LINUX=\"a tsc=reliable\"\r\nX=1\r\n")]
    [InlineData("  GRUB_CMDLINE_LINUX=\"\t\"\n", "  GRUB_CMDLINE_LINUX=\"\t tsc=reliable\"\n")]
    public void Every_quoting_style_is_kept(string text, string expected) =>
        Assert.Equal(expected, EditGrub(text, Set("tsc=reliable")));

    [Fact]
    public void Commented_lines_and_other_variables_are_never_touched()
    {
        var text = "#GRUB_CMDLINE_LINUX=\"clocksource=hpet\"\nGRUB_CMDLINE_XEN=\"clocksource=hpet\"\nGRUB_CMDLINE_LINUX=\"\"\n";

        var edited = EditGrub(text, Set("clocksource=tsc"));

        Assert.Equal("#GRUB_CMDLINE_LINUX=\"clocksource=hpet\"\nGRUB_CMDLINE_XEN=\"clocksource=hpet\"\nGRUB_CMDLINE_LINUX=\"clocksource=tsc\"\n", edited);
    }

    [Fact]
    public void A_value_spanning_lines_inside_quotes_is_edited_where_the_argument_is()
    {
        var text = "GRUB_CMDLINE_LINUX=\"quiet\n  clocksource=hpet\n  splash\"\n";

        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet\n  clocksource=acpi_pm\n  splash\"\n", EditGrub(text, Set("clocksource=acpi_pm")));
        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet\n \n  splash\"\n", EditGrub(text, Remove("clocksource")));
    }

    [Fact]
    public void Appending_to_the_variable_itself_is_understood_and_the_last_assignment_gets_the_argument()
    {
        var text = "GRUB_CMDLINE_LINUX=\"quiet clocksource=hpet\"\nGRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX splash\"\n";

        var edited = EditGrub(text, Set("clocksource=tsc"));

        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX splash clocksource=tsc\"\n", edited);
        Assert.Equal(["quiet", "splash", "clocksource=tsc"], GrubDefaultEditor.EffectiveArguments([new BootFile("/etc/default/grub", edited)]));
    }

    [Theory]
    [InlineData("GRUB_CMDLINE_LINUX=\"$EXTRA_ARGS quiet\"\n", "$EXTRA_ARGS")]
    [InlineData("GRUB_CMDLINE_LINUX=\"$(cat /etc/kargs) quiet\"\n", "'$('")]
    [InlineData("GRUB_CMDLINE_LINUX=\"`cat /etc/kargs`\"\n", "command")]
    [InlineData("GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:-quiet}\"\n", "operator")]
    [InlineData("GRUB_CMDLINE_LINUX=\"x$GRUB_CMDLINE_LINUX\"\n", "glued")]
    public void Variable_references_that_cannot_be_known_are_refused(string text, string named)
    {
        var e = Assert.Throws<KvmTimeException>(() => EditGrub(text, Set("clocksource=tsc")));

        Assert.Equal("BootConfigVariableReference", e.ErrorId);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GRUB_CMDLINE_LINUX=\"quiet\n", "BootConfigUnparsable")]
    [InlineData("GRUB_CMDLINE_LINUX+=\" quiet\"\n", "BootConfigUnsupportedSyntax")]
    [InlineData("GRUB_CMDLINE_LINUX=\"quiet\" update-grub\n", "BootConfigUnsupportedSyntax")]
    [InlineData("GRUB_CMDLINE_LINUX=\"quiet clock\"'source=hpet'\n", "BootConfigUnsupportedSyntax")]
    [InlineData("GRUB_CMDLINE_LINUX=\"quiet\"splash\n", "BootConfigUnsupportedSyntax")]
    public void Files_that_cannot_be_edited_safely_are_refused_with_a_specific_error(string text, string errorId)
    {
        var e = Assert.Throws<KvmTimeException>(() => EditGrub(text, Set("clocksource=tsc")));

        Assert.Equal(errorId, e.ErrorId);
    }

    [Fact]
    public void Tsc_values_are_separate_arguments_and_are_set_and_removed_one_by_one()
    {
        var text = "GRUB_CMDLINE_LINUX=\"tsc=nowatchdog\"\n";

        var set = EditGrub(text, Set("tsc=reliable"));
        Assert.Equal("GRUB_CMDLINE_LINUX=\"tsc=nowatchdog tsc=reliable\"\n", set);
        Assert.Equal(text, EditGrub(set, Remove("tsc=reliable")));
    }

    [Fact]
    public void A_file_without_the_variable_gets_it_appended_below_a_marker_line()
    {
        const string Marker = "# Added by KvmTime; its -Remove takes these two lines away again.\n";
        Assert.Equal("GRUB_TIMEOUT=5\n" + Marker + "GRUB_CMDLINE_LINUX=\"no-kvmclock\"\n", EditGrub("GRUB_TIMEOUT=5\n", Set("no-kvmclock")));
        Assert.Equal("GRUB_TIMEOUT=5\n" + Marker + "GRUB_CMDLINE_LINUX=\"no-kvmclock\"", EditGrub("GRUB_TIMEOUT=5", Set("no-kvmclock")));
    }

    [Theory]
    [InlineData("GRUB_TIMEOUT=5\n")]
    [InlineData("GRUB_TIMEOUT=5")]
    [InlineData("")]
    public void Removing_what_was_appended_gives_back_exactly_the_old_file(string text)
    {
        var set = EditGrub(text, Set("processor.max_cstate=1", "intel_idle.max_cstate=1"));

        Assert.Equal(text, EditGrub(set, Remove("processor.max_cstate", "intel_idle.max_cstate")));
    }

    [Fact]
    public void Removing_one_of_two_appended_arguments_keeps_the_line()
    {
        var set = EditGrub("GRUB_TIMEOUT=5\n", Set("clocksource=tsc", "tsc=reliable"));

        Assert.EndsWith("\nGRUB_CMDLINE_LINUX=\"tsc=reliable\"\n", EditGrub(set, Remove("clocksource")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GRUB_CMDLINE_LINUX=\"\"\nGRUB_TIMEOUT=5\n")]
    [InlineData("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"\" # kept empty on purpose\n")]
    [InlineData("GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"\"\n")]
    public void A_variable_that_was_there_before_stays_when_emptied(string before)
    {
        var set = EditGrub(before, Set("clocksource=tsc"));

        Assert.Equal(before, EditGrub(set, Remove("clocksource")));
    }

    [Fact]
    public void A_second_identical_run_changes_nothing()
    {
        var once = EditGrub(SampleFiles.ReadVerbatim("boot/documented_format/rhel9-default-grub"), Set("clocksource=tsc", "tsc=reliable"));

        var outcome = GrubDefaultEditor.Edit([new BootFile("/etc/default/grub", once)], Set("clocksource=tsc", "tsc=reliable"));

        Assert.Empty(outcome.Rewrites);
        Assert.Empty(outcome.Added);
        Assert.Empty(outcome.Removed);
    }

    [Fact]
    public void Cloud_image_drop_ins_are_edited_too_because_they_are_sourced_last()
    {
        var main = new BootFile("/etc/default/grub", SampleFiles.ReadVerbatim("boot/documented_format/ubuntu2204-default-grub"));
        var dropIn = SampleFiles.ReadVerbatim("boot/documented_format/ubuntu-cloudimg-50-settings.cfg")
            .Replace("console=ttyS0\"", "console=ttyS0 clocksource=hpet\"", StringComparison.Ordinal);

        var outcome = GrubDefaultEditor.Edit([main, new BootFile("/etc/default/grub.d/50-cloudimg-settings.cfg", dropIn)], Set("clocksource=kvm-clock"));

        Assert.Equal(["/etc/default/grub", "/etc/default/grub.d/50-cloudimg-settings.cfg"], outcome.Rewrites.Select(r => r.Path));
        Assert.Contains("GRUB_CMDLINE_LINUX=\"clocksource=kvm-clock\"", outcome.Rewrites[0].NewContent, StringComparison.Ordinal);
        Assert.Equal(SampleFiles.ReadVerbatim("boot/documented_format/ubuntu-cloudimg-50-settings.cfg"), outcome.Rewrites[1].NewContent);
        Assert.Equal(["clocksource=kvm-clock"], outcome.Added);
        Assert.Equal(["clocksource=hpet"], outcome.Removed);
    }

    [Fact]
    public void A_drop_in_that_sets_GRUB_CMDLINE_LINUX_receives_the_argument()
    {
        var main = new BootFile("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\"\n");
        var dropIn = new BootFile("/etc/default/grub.d/90-site.cfg", "GRUB_CMDLINE_LINUX=\"console=ttyS0\"\n");

        var outcome = GrubDefaultEditor.Edit([main, dropIn], Set("clocksource=tsc"));

        Assert.Equal("GRUB_CMDLINE_LINUX=\"console=ttyS0 clocksource=tsc\"\n", outcome.Rewrites.Single(r => r.Path == dropIn.Path).NewContent);
        Assert.DoesNotContain(outcome.Rewrites, r => r.Path == main.Path);
    }

    [Fact]
    public void Shell_text_in_other_assignments_is_skipped_even_when_it_looks_like_an_assignment()
    {
        var text = "GRUB_DISTRIBUTOR=\"$(sed 's, release .*$,,g' /etc/system-release)\"\nX='\nGRUB_CMDLINE_LINUX=\"clocksource=hpet\"\n'\nGRUB_CMDLINE_LINUX=\"\"\n";

        var edited = EditGrub(text, Set("clocksource=tsc"));

        Assert.Equal(text.Replace("GRUB_CMDLINE_LINUX=\"\"\n", "GRUB_CMDLINE_LINUX=\"clocksource=tsc\"\n", StringComparison.Ordinal), edited);
    }

    [Fact]
    public void Kernel_level_quotes_group_spaces_inside_one_argument()
    {
        var text = "GRUB_CMDLINE_LINUX='dyndbg=\"file x.c +p\" clocksource=hpet'\n";

        Assert.Equal("GRUB_CMDLINE_LINUX='dyndbg=\"file x.c +p\"'\n", EditGrub(text, Remove("clocksource")));
    }

    [Theory]
    [InlineData("tsc; touch /tmp/pwned")]
    [InlineData("tsc reliable")]
    [InlineData("\"tsc\"")]
    [InlineData("$(reboot)")]
    [InlineData("")]
    public void Unsafe_values_are_refused_before_any_file_is_read(string value)
    {
        var e = Assert.Throws<KvmTimeException>(() => KernelArgumentEdit.Create([new Linux.KernelArgument("clocksource", value)], []));

        Assert.Equal("UnsafeKernelArgument", e.ErrorId);
    }
}
