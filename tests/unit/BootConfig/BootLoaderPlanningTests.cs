using KvmTime.Linux.Boot;
using KvmTime.Targets;
using Xunit;
using static KvmTime.Tests.BootConfig.EditTestHelpers;

namespace KvmTime.Tests.BootConfig;

public class BootLoaderPlanningTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static BootFacts Facts(
        string[] tools,
        string? defaultGrub = null,
        string? kernelCmdline = null,
        bool bootctl = false,
        bool uefi = false,
        EfiGrubConfig[]? efi = null,
        string? grubbyInfo = null,
        string? grubCfg = null,
        string proc = "BOOT_IMAGE=/vmlinuz root=/dev/vda ro quiet\n",
        BootFile[]? entries = null) => new()
        {
            ProcCmdline = proc,
            DefaultGrub = new BootFile(GrubDefaultEditor.DefaultPath, defaultGrub),
            GrubDropIns = [],
            KernelCmdline = new BootFile(KernelCmdlineEditor.CmdlinePath, kernelCmdline),
            Tools = tools.ToHashSet(),
            BootctlInstalled = bootctl,
            LoaderConfigDirectories = bootctl ? ["/efi"] : [],
            IsUefi = uefi,
            EfiGrubConfigs = efi ?? [],
            LoaderEntries = entries ?? [],
            GrubbyInfo = grubbyInfo,
            GrubbyDefaultKernel = grubbyInfo is null ? null : "/boot/vmlinuz-5.14.0-362.el9.x86_64",
            GrubConfigs = grubCfg is null ? [] : [new BootFile("/boot/grub/grub.cfg", grubCfg)],
        };

    [Fact]
    public void Detection_follows_the_facts_file_order()
    {
        var grub = SampleFiles.ReadVerbatim("boot/documented_format/debian12-default-grub");
        Assert.Equal(BootLoaderKind.SystemdBoot, BootLoaderDetector.Detect(Facts(["bootctl", "grubby"], grub, bootctl: true), null, "g").Kind);
        Assert.Equal(BootLoaderKind.Grubby, BootLoaderDetector.Detect(Facts(["grubby", "grub2-mkconfig"], grub, kernelCmdline: "ro\n"), null, "g").Kind);
        Assert.Equal(BootLoaderKind.UpdateGrub, BootLoaderDetector.Detect(Facts(["update-grub", "grub-mkconfig"], grub), null, "g").Kind);
        Assert.Equal(BootLoaderKind.UpdateBootloader, BootLoaderDetector.Detect(Facts(["update-bootloader", "grub2-mkconfig"], grub), null, "g").Kind);
        Assert.Equal(BootLoaderKind.GrubMkconfig, BootLoaderDetector.Detect(Facts(["grub2-mkconfig"], grub), null, "g").Kind);
        Assert.Equal("BootLoaderNotFound", Assert.Throws<KvmTimeException>(() => BootLoaderDetector.Detect(Facts([]), null, "g")).ErrorId);
    }

    [Fact]
    public void A_forced_boot_loader_needs_its_tool()
    {
        var e = Assert.Throws<KvmTimeException>(() => BootLoaderDetector.Detect(Facts(["grubby"], "X=1\n"), BootLoaderKind.UpdateGrub, "g"));

        Assert.Equal("BootLoaderToolMissing", e.ErrorId);
    }

    [Fact]
    public void Grubby_asked_for_on_a_machine_without_grubby_is_BootLoaderNotFound_not_a_silent_no_op()
    {
        var e = Assert.Throws<KvmTimeException>(() => BootLoaderDetector.Detect(Facts(["grub2-mkconfig"], "GRUB_CMDLINE_LINUX=\"quiet\"\n"), BootLoaderKind.Grubby, "g"));

        Assert.Equal("BootLoaderNotFound", e.ErrorId);
        Assert.Contains("grubby is not installed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_any_boot_loader_the_error_names_only_the_callers_runtime_option()
    {
        Assert.False(BootLoaderDetector.HasBootLoader(Facts([])));
        Assert.True(BootLoaderDetector.HasBootLoader(Facts(["grub2-mkconfig"], "X=1\n")));

        var cstate = Assert.Throws<KvmTimeException>(() => BootLoaderDetector.Detect(Facts([]), null, "g", "-Runtime"));
        Assert.Contains("Use -Runtime to change the running kernel only", cstate.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Scope", cstate.Message, StringComparison.Ordinal);

        var plain = Assert.Throws<KvmTimeException>(() => BootLoaderDetector.Detect(Facts([]), null, "g"));
        Assert.DoesNotContain("Runtime", plain.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "/boot/efi/EFI/redhat/grub.cfg", false, "grub2-mkconfig -o '/boot/grub2/grub.cfg'")]
    [InlineData(true, "/boot/efi/EFI/redhat/grub.cfg", false, "grub2-mkconfig -o '/boot/efi/EFI/redhat/grub.cfg'")]
    [InlineData(true, "/boot/efi/EFI/rocky/grub.cfg", true, "grub2-mkconfig -o '/boot/grub2/grub.cfg'")]
    public void Grub_mkconfig_writes_the_grub_cfg_the_firmware_reads(bool uefi, string efiPath, bool wrapper, string command)
    {
        var facts = Facts(["grub2-mkconfig"], "GRUB_CMDLINE_LINUX=\"\"\n", uefi: uefi, efi: [new EfiGrubConfig(efiPath, wrapper)]);

        Assert.Equal(command, BootLoaderDetector.Detect(facts, null, "g").RegenerateCommand);
    }

    [Fact]
    public void A_grub_plan_rewrites_default_grub_with_a_backup_and_regenerates()
    {
        var grub = SampleFiles.ReadVerbatim("boot/documented_format/debian12-default-grub");
        var facts = Facts(["update-grub"], grub, grubCfg: "menuentry 'Debian' {\n\tlinux\t/boot/vmlinuz root=/dev/vda ro quiet\n}\n");

        var plan = BootArgumentPlanner.Plan(facts, BootLoaderDetector.Detect(facts, null, "g"), Set("clocksource=kvm-clock"), Now, "g");

        var file = Assert.Single(plan.Files);
        Assert.Equal("/etc/default/grub.kvmtime-20260301T120000000Z", file.BackupPath);
        Assert.Equal(["update-grub"], plan.Commands);
        Assert.Equal(["clocksource=kvm-clock"], plan.Added);
    }

    [Fact]
    public void A_second_run_plans_nothing_once_grub_cfg_carries_the_argument()
    {
        var grub = EditGrub(SampleFiles.ReadVerbatim("boot/documented_format/debian12-default-grub"), Set("clocksource=kvm-clock"));
        var cfg = "menuentry 'Debian' {\n\tlinux\t/boot/vmlinuz root=/dev/vda ro clocksource=kvm-clock quiet\n}\n";

        var current = BootArgumentPlanner.Plan(Facts(["update-grub"], grub, grubCfg: cfg), BootLoaderDetector.Detect(Facts(["update-grub"], grub), null, "g"), Set("clocksource=kvm-clock"), Now, "g");
        var stale = BootArgumentPlanner.Plan(Facts(["update-grub"], grub, grubCfg: cfg.Replace(" clocksource=kvm-clock", "", StringComparison.Ordinal)), BootLoaderDetector.Detect(Facts(["update-grub"], grub), null, "g"), Set("clocksource=kvm-clock"), Now, "g");

        Assert.True(current.IsEmpty);
        Assert.Empty(stale.Files);
        Assert.Equal(["update-grub"], stale.Commands);
    }

    [Fact]
    public void Grubby_gets_one_command_for_all_kernels_and_the_expected_arguments_per_entry()
    {
        var info = "index=0\nkernel=\"/boot/vmlinuz-5.14.0-362.el9.x86_64\"\nargs=\"ro crashkernel=auto clocksource=hpet rhgb quiet\"\nroot=\"/dev/mapper/rhel-root\"\n" +
                   "index=1\nkernel=\"/boot/vmlinuz-0-rescue\"\nargs=\"ro crashkernel=auto no-kvmclock rhgb quiet\"\n";
        var facts = Facts(["grubby"], SampleFiles.ReadVerbatim("boot/documented_format/rhel9-default-grub"), grubbyInfo: info);

        var plan = BootArgumentPlanner.Plan(facts, BootLoaderDetector.Detect(facts, null, "g"), KernelArgumentEdit.Create([Arg("clocksource=kvm-clock")], [Arg("no-kvmclock")]), Now, "g");

        Assert.Equal(["grubby --update-kernel=ALL --args='clocksource=kvm-clock' --remove-args='no-kvmclock'"], plan.Commands);
        Assert.Equal(["ro crashkernel=auto clocksource=kvm-clock rhgb quiet", "ro crashkernel=auto rhgb quiet clocksource=kvm-clock"], plan.ExpectedGrubbyEntries.Select(e => e.Arguments));
        Assert.Equal("/etc/default/grub", Assert.Single(plan.Files).Path);
    }

    [Fact]
    public void Grubby_cannot_keep_a_second_tsc_value_so_that_is_refused()
    {
        var info = "index=0\nkernel=\"/boot/vmlinuz-5.14.0-362.el9.x86_64\"\nargs=\"ro tsc=nowatchdog\"\n";
        var facts = Facts(["grubby"], grubbyInfo: info);

        var e = Assert.Throws<KvmTimeException>(() => BootArgumentPlanner.Plan(facts, BootLoaderDetector.Detect(facts, null, "g"), Set("tsc=reliable"), Now, "g"));

        Assert.Equal("GrubbyCannotRepeatArgument", e.ErrorId);
    }

    [Fact]
    public void Systemd_boot_without_etc_kernel_cmdline_creates_it_from_proc_cmdline_and_edits_the_entries()
    {
        var entry = new BootFile("/efi/loader/entries/arch.conf", SampleFiles.ReadVerbatim("boot/documented_format/systemd-boot-entry.conf"));
        var facts = Facts(["bootctl"], bootctl: true, entries: [entry]);

        var plan = BootArgumentPlanner.Plan(facts, BootLoaderDetector.Detect(facts, null, "g"), Set("clocksource=tsc"), Now, "g");

        Assert.Equal([KernelCmdlineEditor.CmdlinePath, entry.Path], plan.Files.Select(f => f.Path));
        Assert.Null(plan.Files[0].OldContent);
        Assert.Null(plan.Files[0].BackupPath);
        Assert.Equal("root=/dev/vda ro quiet clocksource=tsc\n", plan.Files[0].NewContent);
        Assert.Empty(plan.Commands);
    }

    [Fact]
    public void Reboot_is_required_when_the_next_boot_differs_in_timing_arguments_only()
    {
        var cfg = "menuentry 'Debian' {\n\tlinux\t/boot/vmlinuz-6.1 root=/dev/vda ro quiet clocksource=kvm-clock\n}\n";
        var loader = BootLoaderDetector.Detect(Facts(["update-grub"], "X=1\n"), null, "g");

        Assert.True(BootChangeReport.RebootRequired(Facts(["update-grub"], "X=1\n", grubCfg: cfg), loader));
        Assert.False(BootChangeReport.RebootRequired(Facts(["update-grub"], "X=1\n", grubCfg: cfg, proc: "BOOT_IMAGE=/x clocksource=kvm-clock other=1"), loader));
    }
}
