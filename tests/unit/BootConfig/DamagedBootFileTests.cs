using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

/// <summary>
/// Damaged plain command lines and BLS entries (hand-written damage on the samples: a pasted prompt,
/// a word an editor cut off) are refused with the line number, for -Remove as for a set; valid words
/// of every shape the kernel takes are still edited.
/// </summary>
public class DamagedBootFileTests
{
    private static KvmTimeException Refused(Action edit) => Assert.Throws<KvmTimeException>(edit);

    [Theory]
    [InlineData("root=UUID=12ab>\n", "'root=UUID=12ab>'")]
    [InlineData("[user@host ~]$ sudo cat /etc/kernel/cmdline\nroot=/dev/vda1 ro\n", "'[user@host'")]
    [InlineData("root=/dev/vda1 ro\nuser@host ~> \n", "'user@host'")]
    [InlineData("root=/dev/vda1 acpi_osi=\"!Windows 2012\n", "not closed")]
    [InlineData("root=/dev/vda1 $tuned_params\n", "'$tuned_params'")]
    public void A_cmdline_file_with_a_word_that_is_no_kernel_parameter_is_refused(string text, string named)
    {
        foreach (var edit in new[] { Set("tsc=reliable"), Remove("tsc") })
        {
            var e = Refused(() => KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, text), edit));

            Assert.Equal("BootConfigNotKernelArgument", e.ErrorId);
            Assert.Contains(named, e.Message, StringComparison.Ordinal);
            Assert.Contains("/etc/kernel/cmdline line ", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_line_number_is_where_the_bad_word_stands()
    {
        var e = Refused(() => KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, "root=/dev/vda1 ro\nquiet\nuser@host ~>\n"), Set("tsc=reliable")));

        Assert.Contains("line 3:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crashkernel=1G-4G:192M,4G-64G:256M rd.lvm.lv=rhel/root console=ttyS0,115200n8")]
    [InlineData("memmap=100M$0x10000000 video=1024x768@60 acpi_osi=\"!Windows 2012\" -- single")]
    [InlineData("BOOT_IMAGE=/vmlinuz-6.1.0 initrd=\\EFI\\debian\\initrd.img kvm-intel.nested=1 rootflags=subvol=@")]
    public void Words_of_every_shape_the_kernel_takes_are_edited(string arguments)
    {
        var text = arguments + "\n";
        var set = KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, text), Set("tsc=reliable")).Rewrites.Single().NewContent;

        Assert.Equal(arguments + " tsc=reliable\n", set);
    }

    [Fact]
    public void A_cmdline_file_over_several_lines_is_one_command_line()
    {
        var text = "root=/dev/vda1 ro\nquiet\n";
        var set = KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, text), Set("tsc=reliable")).Rewrites.Single().NewContent;

        Assert.Equal("root=/dev/vda1 ro\nquiet tsc=reliable\n", set);
        Assert.Empty(KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, set), Set("tsc=reliable")).Rewrites);
    }

    [Fact]
    public void Grubby_args_keep_bls_variables_but_refuse_prompt_words()
    {
        var tuned = KernelCmdlineEditor.EditGrubbyArguments(new BootFile("/boot/vmlinuz-4.18.0", "ro crashkernel=auto $tuned_params"), Set("tsc=reliable"));
        Assert.Equal("ro crashkernel=auto $tuned_params tsc=reliable", tuned.Rewrites.Single().NewContent);

        var e = Refused(() => KernelCmdlineEditor.EditGrubbyArguments(new BootFile("/boot/vmlinuz-4.18.0", "ro root=UUID=12ab>"), Remove("tsc")));
        Assert.Equal("BootConfigNotKernelArgument", e.ErrorId);
        Assert.Contains("grubby's args of /boot/vmlinuz-4.18.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bls_entry_with_a_line_that_is_not_key_value_is_refused_with_its_line()
    {
        var entry = SampleFiles.ReadVerbatim("boot/documented_format/rhel9-bls-entry.conf");
        var damaged = "[root@rhel9 ~]# cat /boot/loader/entries/x.conf\n" + entry;

        var e = Refused(() => KernelCmdlineEditor.EditBlsEntry(new BootFile("/boot/loader/entries/x.conf", damaged), Remove("tsc")));

        Assert.Equal("BootConfigNotBlsEntry", e.ErrorId);
        Assert.Contains("line 1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bls_options_word_cut_off_by_an_editor_is_refused()
    {
        var e = Refused(() => KernelCmdlineEditor.EditBlsEntry(new BootFile("/efi/loader/entries/arch.conf", "title Arch\nlinux /vmlinuz-linux\noptions root=UUID=12ab> rw\n"), Set("tsc=reliable")));

        Assert.Equal("BootConfigNotKernelArgument", e.ErrorId);
        Assert.Contains("line 3:", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("boot/documented_format/systemd-boot-entry.conf")]
    [InlineData("boot/documented_format/rhel8-bls-entry.conf")]
    [InlineData("boot/documented_format/rhel9-bls-entry.conf")]
    public void Every_bls_sample_passes_the_key_check(string sample)
    {
        var entry = SampleFiles.ReadVerbatim(sample);
        try
        {
            KernelCmdlineEditor.EditBlsEntry(new BootFile("/boot/loader/entries/x.conf", entry), Set("tsc=reliable"));
        }
        catch (KvmTimeException e)
        {
            // RHEL's entries take their options from GRUB variables: refused for that reason only.
            Assert.Equal("BootConfigVariableReference", e.ErrorId);
        }
    }

    [Theory]
    [InlineData("ours")]
    [InlineData("-Remove")]
    public void A_line_that_lost_its_closing_quote_is_called_an_unterminated_quote(string how)
    {
        // Real: CentOS 8 file damaged by automated edits; its 9th line (12th with the header lines) lost the closing quote.
        var text = SampleFiles.Read("boot/real/rhel8-cis-84-damaged-default-grub");
        var edit = how == "-Remove" ? Remove("tsc") : Set("tsc=reliable");

        var e = Refused(() => GrubDefaultEditor.Edit([new BootFile(GrubDefaultEditor.DefaultPath, text)], edit));

        Assert.Equal("BootConfigUnparsable", e.ErrorId);
        Assert.Contains("line 12: an unterminated quote", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 13", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("followed by a command", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_quoted_across_lines_on_purpose_is_still_edited()
    {
        var text = "GRUB_CMDLINE_LINUX=\"quiet\nsplash\"\nGRUB_TIMEOUT=5\n";

        Assert.Equal("GRUB_CMDLINE_LINUX=\"quiet\nsplash tsc=reliable\"\nGRUB_TIMEOUT=5\n", EditGrub(text, Set("tsc=reliable")));
    }
}
