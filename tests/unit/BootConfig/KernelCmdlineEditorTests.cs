using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

public class KernelCmdlineEditorTests
{
    private static string EditCmdline(string text, KernelArgumentEdit edit)
    {
        var outcome = KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, text), edit);
        return outcome.Rewrites.Count == 0 ? text : outcome.Rewrites.Single().NewContent;
    }

    private static string EditEntry(string text, KernelArgumentEdit edit)
    {
        var outcome = KernelCmdlineEditor.EditBlsEntry(new BootFile("/efi/loader/entries/arch.conf", text), edit);
        return outcome.Rewrites.Count == 0 ? text : outcome.Rewrites.Single().NewContent;
    }

    [Fact]
    public void Etc_kernel_cmdline_gets_the_argument_before_its_final_newline_and_loses_it_again()
    {
        var original = SampleFiles.ReadVerbatim("boot/documented_format/kernel-cmdline");

        var set = EditCmdline(original, Set("clocksource=kvm-clock", "no-kvmclock"));

        Assert.Equal(original.TrimEnd('\n') + " clocksource=kvm-clock no-kvmclock\n", set);
        Assert.Equal(original, EditCmdline(set, Remove("clocksource", "no-kvmclock")));
    }

    [Theory]
    [InlineData("", "tsc=reliable")]
    [InlineData("\n", "tsc=reliable\n")]
    [InlineData("quiet  tsc=unstable\n", "quiet  tsc=unstable tsc=reliable\n")]
    [InlineData("clocksource=hpet quiet\n", "clocksource=hpet quiet tsc=reliable\n")]
    public void Plain_command_lines_are_edited_exactly(string text, string expected) =>
        Assert.Equal(expected, EditCmdline(text, Set("tsc=reliable")));

    [Fact]
    public void Removing_every_argument_of_a_name_takes_one_separator_with_each()
    {
        Assert.Equal("ro quiet\n", EditCmdline("clocksource=hpet ro\tclocksource=tsc quiet\n", Remove("clocksource")));
    }

    [Fact]
    public void A_systemd_boot_entry_changes_only_on_its_options_line()
    {
        var original = SampleFiles.ReadVerbatim("boot/documented_format/systemd-boot-entry.conf");

        var set = EditEntry(original, Set("clocksource=tsc"));

        Assert.Equal(original.Replace("loglevel=3\n", "loglevel=3 clocksource=tsc\n", StringComparison.Ordinal), set);
        Assert.Equal(original, EditEntry(set, Remove("clocksource")));
        Assert.Contains("clocksource=tsc", KernelCmdlineEditor.BlsOptions(set));
    }

    [Fact]
    public void An_entry_without_options_gets_an_options_line()
    {
        Assert.Equal("title x\nlinux /vmlinuz\noptions tsc=reliable\n", EditEntry("title x\nlinux /vmlinuz\n", Set("tsc=reliable")));
    }

    [Theory]
    [InlineData("rhel8-bls-entry.conf", "$kernelopts")]
    [InlineData("rhel9-bls-entry.conf", "$tuned_params")]
    public void Entries_that_take_options_from_grub_variables_are_refused(string sample, string variable)
    {
        var e = Assert.Throws<KvmTimeException>(() => EditEntry(SampleFiles.ReadVerbatim("boot/documented_format/" + sample), Set("clocksource=tsc")));

        Assert.Equal("BootConfigVariableReference", e.ErrorId);
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grubby_style_argument_strings_are_edited_like_a_command_line()
    {
        Assert.Equal("ro clocksource=tsc quiet", KernelCmdlineEditor.EditArguments("ro clocksource=hpet quiet", Set("clocksource=tsc")));
    }
}
