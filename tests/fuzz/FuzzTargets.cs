namespace KvmTime.Fuzz;

/// <summary>Every parser entry point the fuzzer drives, by area.</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All() =>
        [.. LinuxTargets.All(), .. BootTargets.All(), .. KernelLogTargets.All(), .. WindowsTargets.All(), .. HostTargets.All(), .. SshTargets.All()];

    public static FuzzTarget? Find(string name) => All().FirstOrDefault(t => t.Name == name);
}
