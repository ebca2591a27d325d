using KvmTime.Health;
using KvmTime.Model;
using Xunit;

namespace KvmTime.Tests.Health;

/// <summary>
/// Each Linux finding of Test-KvmTimeHealth from recorded inputs (real samples; _documented_format
/// where the input is hand-written), through the same parse the cmdlet runs on its one round trip.
/// </summary>
public class LinuxHealthTests
{
    [Fact]
    public void The_build_machine_with_a_synchronised_chrony_set_up_for_vms_is_healthy_real()
    {
        var health = new HealthInputs().Check();

        Assert.Equal(HealthVerdict.Healthy, health.Verdict);
        Assert.Empty(health.Findings);
        Assert.Equal("tsc", health.Clocksource);
        Assert.Equal("chronyd", health.TimeDaemon);
        Assert.True(health.IsVirtualMachine);
        Assert.False(health.IsKvmHost);
    }

    [Fact]
    public void Hpet_in_the_lab_guest_is_a_clocksource_without_vdso_and_the_fix_names_tsc_real()
    {
        var lab = SampleFiles.ReadBody("sysfs/lab-guest-tcg-hpet.txt").Split('\n');
        var health = new HealthInputs().Set("current", lab[0]).Set("available", lab[1]).Set("cmdline", lab[2]).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.ClocksourceWithoutVdso);
        Assert.Equal(HealthFindingSeverity.Warning, finding.Severity);
        Assert.Equal("current_clocksource=hpet; available_clocksource=tsc hpet acpi_pm", finding.Evidence);
        Assert.Equal("Set-GuestClocksource -ComputerName g1 -Clocksource tsc", finding.Fix);
        Assert.Equal(HealthVerdict.Warning, health.Verdict);
    }

    [Fact]
    public void A_clocksource_boot_argument_makes_the_fix_persistent_real()
    {
        var lab = SampleFiles.ReadBody("sysfs/lab-guest-tcg-hpet.txt").Split('\n');
        var health = new HealthInputs().Set("current", lab[0]).Set("available", lab[1]).Set("cmdline", lab[2] + " clocksource=hpet").Check();

        Assert.Equal("Set-GuestClocksource -ComputerName g1 -Clocksource tsc -Scope Both", HealthInputs.Only(health, HealthFindingIds.ClocksourceWithoutVdso).Fix);
    }

    [Fact]
    public void A_host_without_invariant_tsc_and_no_cstate_limit_gets_the_limit_as_its_fix_documented_format()
    {
        var health = new HealthInputs().Set("cpuinfo", SampleFiles.ReadBody("cpuinfo/host-without-invariant-tsc.documented_format.txt")).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.TscNotInvariant);
        Assert.Equal("Set-KernelCStateLimit -ComputerName g1 -MaxCState 1", finding.Fix);
        Assert.StartsWith("/proc/cpuinfo flags lack constant_tsc nonstop_tsc", finding.Evidence, StringComparison.Ordinal);
        Assert.False(health.IsVirtualMachine);
    }

    [Fact]
    public void The_same_host_with_processor_max_cstate_has_no_tsc_finding_documented_format()
    {
        var health = new HealthInputs()
            .Set("cpuinfo", SampleFiles.ReadBody("cpuinfo/host-without-invariant-tsc.documented_format.txt"))
            .Set("cmdline", SampleFiles.ReadBody("sysfs/lab-guest-tcg-hpet.txt").Split('\n')[2] + " processor.max_cstate=1")
            .Check();

        Assert.True(!health.Findings.Any(f => f.Id == HealthFindingIds.TscNotInvariant), string.Join("; ", health.Findings.Select(f => f.Evidence)));
    }

    [Fact]
    public void An_invariant_physical_host_has_no_tsc_finding_real()
    {
        var health = new HealthInputs().Set("cpuinfo", SampleFiles.ReadBody("cpuinfo/amd-epyc-host.txt")).Check();

        Assert.False(health.IsVirtualMachine);
        Assert.DoesNotContain(health.Findings, f => f.Id == HealthFindingIds.TscNotInvariant);
    }

    [Fact]
    public void A_likely_real_tsc_mark_is_critical_with_the_kernel_line_as_evidence_real()
    {
        var health = new HealthInputs().KernelLog(SampleFiles.ReadBody("kernellog/real/lkml-2603-quoted-lowercase-skew.txt")).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.TscMarkedUnstable);
        Assert.Equal(HealthFindingSeverity.Critical, finding.Severity);
        Assert.Contains("LikelyReal", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Marking clocksource 'tsc' as unstable because the skew is too large:", finding.Evidence, StringComparison.Ordinal);
        Assert.Null(finding.Fix);
        Assert.Equal(HealthVerdict.Critical, health.Verdict);
    }

    [Fact]
    public void A_likely_false_positive_tsc_mark_is_a_warning_real()
    {
        var health = new HealthInputs().KernelLog(SampleFiles.ReadBody("kernellog/real/katona-hatena-2.6-boot.txt")).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.TscMarkedUnstable);
        Assert.Equal(HealthFindingSeverity.Warning, finding.Severity);
        Assert.Contains("LikelyFalsePositive", finding.Message, StringComparison.Ordinal);
        Assert.EndsWith("Clocksource tsc unstable (delta = 76024924 ns)", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_log_without_tsc_marks_gives_no_finding_real()
    {
        var health = new HealthInputs().KernelLog(SampleFiles.ReadBody("kernellog/build-machine-dmesg.txt")).Check();

        Assert.DoesNotContain(health.Findings, f => f.Id == HealthFindingIds.TscMarkedUnstable);
    }

    [Fact]
    public void No_running_daemon_is_critical_real()
    {
        var health = new HealthInputs().Set("daemons", string.Empty).Without("chrony_tracking").Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.NoTimeDaemon);
        Assert.Equal(HealthFindingSeverity.Critical, finding.Severity);
        Assert.Equal("None", health.TimeDaemon);
        Assert.False(health.IsSynchronized);
    }

    [Fact]
    public void No_daemon_installed_has_no_fix_and_says_to_install_chrony()
    {
        // The gather's chronyd check fails without the binary.
        var health = new HealthInputs().Set("daemons", string.Empty).Without("chrony_tracking").Without("chronyd_service").Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.NoTimeDaemon);
        Assert.Null(finding.Fix);
        Assert.Contains("Install chrony", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_but_installed_chronyd_gets_the_vm_preset_as_its_fix()
    {
        var health = new HealthInputs().Set("daemons", string.Empty).Without("chrony_tracking").Set("chronyd_service", "initd chrony\n").Check("-ComputerName g1 -UserName ops");

        var finding = HealthInputs.Only(health, HealthFindingIds.NoTimeDaemon);
        Assert.Equal("Set-GuestTimeSync -ComputerName g1 -UserName ops -Preset Vm", finding.Fix);
        Assert.Contains("chronyd is stopped", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chrony_conf_debian", "initd chrony\n")] // chronyd without chrony.conf: Set-GuestTimeSync has nothing to configure
    [InlineData("none", "")] // chronyd with no service KvmTime can start
    public void A_stopped_chronyd_that_Set_GuestTimeSync_cannot_start_has_no_fix(string missing, string service)
    {
        var health = new HealthInputs().Set("daemons", string.Empty).Without("chrony_tracking").Without(missing).Set("chronyd_service", service).Check();

        Assert.Null(HealthInputs.Only(health, HealthFindingIds.NoTimeDaemon).Fix);
    }

    [Fact]
    public void Debian_12_stock_makestep_1_3_is_missing_a_vm_makestep_and_the_fix_is_the_vm_preset_real()
    {
        var health = new HealthInputs().Set("chrony_conf_debian", SampleFiles.ReadVerbatim("timesync/chrony-4.3-debian12-stock.conf")).Check("-ComputerName g1 -UserName ops");

        var finding = HealthInputs.Only(health, HealthFindingIds.MakestepMissing);
        Assert.Equal("makestep 1 3", finding.Evidence);
        Assert.Equal("/etc/chrony/chrony.conf", finding.EvidenceSource);
        Assert.Equal("Set-GuestTimeSync -ComputerName g1 -UserName ops -Preset Vm", finding.Fix);
    }

    [Fact]
    public void A_settings_drop_in_with_makestep_1_minus_1_satisfies_it_real()
    {
        var health = new HealthInputs()
            .Set("chrony_conf_debian", SampleFiles.ReadVerbatim("timesync/chrony-4.3-debian12-stock.conf"))
            .Set("chrony_settings_dropins", "makestep 1 -1\nrtcsync\n")
            .Check();

        // Debian's makestep 1 3 comes after the confdir line, so chronyd still uses it: the finding stays.
        Assert.Equal("makestep 1 3", HealthInputs.Only(health, HealthFindingIds.MakestepMissing).Evidence);
    }

    [Fact]
    public void An_unsynchronised_kvm_host_is_critical_real()
    {
        var health = new HealthInputs()
            .Set("chrony_tracking", SampleFiles.ReadBody("timesync/chrony-tracking-unsynced.csv"))
            .Domains(Array.Empty<KvmTime.Health.RunningDomain>())
            .Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.HostNotSynchronized);
        Assert.Equal(HealthFindingSeverity.Critical, finding.Severity);
        Assert.Contains("Not synchronised", finding.Evidence, StringComparison.Ordinal);
        Assert.True(health.IsKvmHost);
        Assert.Equal(0, health.DomainCount);
    }

    [Fact]
    public void An_unsynchronised_guest_is_a_warning_real()
    {
        var health = new HealthInputs().Set("chrony_tracking", SampleFiles.ReadBody("timesync/chrony-tracking-unsynced.csv")).Check();

        Assert.Equal(HealthFindingSeverity.Warning, HealthInputs.Only(health, HealthFindingIds.TimeNotSynchronized).Severity);
    }

    [Fact]
    public void An_offset_of_5_s_is_critical_and_fixed_by_stepping_documented_format()
    {
        var health = new HealthInputs().Set("chrony_tracking", SampleFiles.ReadBody("timesync/chrony-tracking-offset-5s.documented_format.csv")).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.LargeOffset);
        Assert.Equal(HealthFindingSeverity.Critical, finding.Severity);
        Assert.Equal("offset -5.200 s", finding.Evidence);
        Assert.Equal("Sync-GuestTime -ComputerName g1", finding.Fix);
        Assert.Equal(TimeSpan.FromSeconds(-5.2), health.Offset);
    }

    [Fact]
    public void A_smearing_server_beside_an_unsmeared_pool_is_mixed_and_the_fix_keeps_the_pool_documented_format()
    {
        var health = new HealthInputs().Set("chrony_conf_debian", SampleFiles.ReadBody("timesync/chrony-mixed-smear.documented_format.conf")).Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.SmearedSourcesMixed);
        Assert.Equal("server time.google.com iburst; pool 2.debian.pool.ntp.org iburst", finding.Evidence);
        Assert.Equal("Set-GuestTimeSync -ComputerName g1 -Pool 2.debian.pool.ntp.org", finding.Fix);
    }

    [Fact]
    public void A_cstate_limit_waiting_for_a_reboot_in_the_lab_guest_is_a_pending_reboot_recorded()
    {
        var health = new HealthInputs()
            .Set("boot-cmdline", SampleFiles.ReadVerbatim("boot/lab/proc-cmdline-before-reboot"))
            .Set("boot-default-grub", SampleFiles.ReadVerbatim("boot/lab/default-grub-max-cstate-1"))
            .Set("boot-grub-cfg", SampleFiles.ReadVerbatim("boot/lab/grub.cfg-max-cstate-1"))
            .Set("boot-tools", "update-grub\n")
            .Check();

        var finding = HealthInputs.Only(health, HealthFindingIds.RebootPending);
        Assert.Equal("next boot +processor.max_cstate=1", finding.Evidence);
        Assert.Equal("/boot/grub/grub.cfg (first menu entry)", finding.EvidenceSource);
        Assert.Null(finding.Fix);
    }

    [Fact]
    public void Findings_come_worst_first_and_the_verdict_is_the_worst()
    {
        var lab = SampleFiles.ReadBody("sysfs/lab-guest-tcg-hpet.txt").Split('\n');
        var health = new HealthInputs().Set("current", lab[0]).Set("available", lab[1]).Set("daemons", string.Empty).Check();

        Assert.Equal([HealthFindingIds.NoTimeDaemon, HealthFindingIds.ClocksourceWithoutVdso], health.Findings.Select(f => f.Id));
        Assert.Equal(HealthVerdict.Critical, health.Verdict);
    }
}
