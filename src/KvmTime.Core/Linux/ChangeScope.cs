namespace KvmTime.Linux;

/// <summary>Where a change is made: in the running kernel, in the boot configuration, or both.</summary>
public enum ChangeScope
{
    Runtime,
    Persistent,
    Both,
}
