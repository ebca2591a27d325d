namespace KvmTime.Targets;

/// <summary>A target reached over SSH, exposing the options it was opened with.</summary>
public interface IHasSshOptions
{
    SshConnectionOptions Options { get; }
}
