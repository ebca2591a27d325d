using KvmTime.Linux.Boot;

namespace KvmTime.Linux;

/// <summary>What the user asked Set-KernelCStateLimit for.</summary>
internal sealed class CStateLimitRequest
{
    /// <summary>0..9, or null to remove the limit.</summary>
    public int? MaxCState { get; init; }

    /// <summary>Also disable the deeper idle states now (a removal always re-enables them).</summary>
    public bool Runtime { get; init; }

    public BootLoaderKind? BootLoader { get; init; }

    /// <summary>True when the request changes the running kernel, so it still makes sense on a machine without a boot loader.</summary>
    public bool HasRuntimePart => Runtime || MaxCState is null;
}
