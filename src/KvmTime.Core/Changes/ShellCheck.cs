namespace KvmTime.Changes;

/// <summary>
/// A shell file (such as /etc/default/grub) that the target's own /bin/sh must read as planned before
/// it is written: the new text passes sh -n, sourcing it leaves every variable but
/// <see cref="Expected"/>'s as the old text did, and those hold exactly the expected values.
/// </summary>
internal sealed record ShellCheck(IReadOnlyDictionary<string, string> Expected);
