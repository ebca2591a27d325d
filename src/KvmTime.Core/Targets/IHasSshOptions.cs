namespace KvmTime.Targets;

/// <summary>A target reached over SSH, exposing the options it was opened with.</summary>
internal interface IHasSshOptions
{
    SshConnectionOptions Options { get; }
}
