namespace KvmTime;

/// <summary>
/// A host name from the pipeline ('web1' | Get-KvmClocksource, Get-Content hosts.txt | ...). Its
/// only constructor takes a string, so PowerShell binds strings to it but never a FileInfo or a
/// result object, which a plain string parameter would take through ToString().
/// </summary>
public sealed class HostNameInput
{
    public HostNameInput(string name) => Name = name;

    public string Name { get; }

    public override string ToString() => Name;
}
