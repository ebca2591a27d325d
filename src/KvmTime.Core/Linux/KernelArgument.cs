namespace KvmTime.Linux;

/// <summary>One kernel argument: <c>name</c> or <c>name=value</c>, with the value unquoted.</summary>
internal sealed record KernelArgument(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
