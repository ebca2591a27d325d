using KvmTime.Linux;
using KvmTime.Linux.Boot;

namespace KvmTime.Fuzz;

/// <summary>The boot configuration parsers and planners: /etc/default/grub, BLS entries, grubby, kernel command lines.</summary>
public static class BootTargets
{
    private static readonly KernelArgumentEdit Edit = KernelArgumentEdit.Create([new KernelArgument("clocksource", "tsc"), new KernelArgument("tsc", "reliable")], [new KernelArgument("no-kvmclock", null)]);

    public static IEnumerable<FuzzTarget> All() =>
    [
        new("grub-default", ["boot/documented_format/*-default-grub", "boot/documented_format/ubuntu-cloudimg-50-settings.cfg"], s => GrubDefaultParser.Parse(s, 0, "/etc/default/grub")),
        new("grub-shell-values", ["boot/documented_format/*-default-grub"], s => GrubShellValues.Evaluate(s, "/etc/default/grub")),
        new("grub-default-edit", ["boot/documented_format/*-default-grub"], s => GrubDefaultEditor.Edit([new BootFile(GrubDefaultEditor.DefaultPath, s)], Edit)),
        new("bls-entry", ["boot/documented_format/*-bls-entry.conf", "boot/documented_format/systemd-boot-entry.conf"], s => KernelCmdlineEditor.EditBlsEntry(new BootFile("/boot/loader/entries/a.conf", s), Edit)),
        new("bls-options", ["boot/documented_format/*-bls-entry.conf", "boot/documented_format/systemd-boot-entry.conf"], s => KernelCmdlineEditor.BlsOptions(s)),
        new("kernel-cmdline-file", ["boot/documented_format/kernel-cmdline"], s => KernelCmdlineEditor.EditCmdlineFile(new BootFile(KernelCmdlineEditor.CmdlinePath, s), Edit)),
        new("grubby-info", ["boot/documented_format/*-bls-entry.conf"], s => GrubbyInfo.Parse(s)),
        new("plain-arguments", ["boot/documented_format/kernel-cmdline"], s => PlainArgumentScanner.Scan(s, 0, 0, s.Length)),
        new("boot-facts-plan", ["boot/*"], PlanFromFacts),
        new("set-clocksource-prepare", ["boot/*", "sysfs/*"], s => new KvmTime.Operations.ClocksourceOperation(
            new ClocksourceRequest { Clocksource = "tsc", Scope = ChangeScope.Both, Arguments = Edit }, "Tsc", DateTime.UtcNow).PrepareAsync(new FakeGatherTarget(s), CancellationToken.None).GetAwaiter().GetResult()),
        new("cstate-prepare", ["boot/*", "sysfs/*"], s => new KvmTime.Operations.CStateLimitOperation(
            new CStateLimitRequest { MaxCState = 1, Runtime = true }, DateTime.UtcNow).PrepareAsync(new FakeGatherTarget(s), CancellationToken.None).GetAwaiter().GetResult()),
    ];

    private static void PlanFromFacts(string input)
    {
        var reader = new BootFactsReader();
        var facts = reader.Parse(GatherInput.For(reader.AddTo(new KvmTime.Targets.GatherRequest()), input));
        var loader = BootLoaderDetector.Detect(facts, null, "fuzz");
        NextBootReader.Read(facts, loader);
        BootArgumentPlanner.Plan(facts, loader, Edit, DateTime.UtcNow, "fuzz");
    }
}
