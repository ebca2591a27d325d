using System.Management.Automation.Runspaces;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>
/// A value of -Session: a KvmTime session or a PowerShell PSSession. Its constructors let
/// PowerShell bind either one from the pipeline by value ($s | Get-KvmClocksource) and by property
/// name (results that carry a Session), and nothing else.
/// </summary>
public sealed class SessionInput
{
    public SessionInput(KvmTimeSession session) => Value = session ?? throw new ArgumentNullException(nameof(session));

    public SessionInput(PSSession session) => Value = session ?? throw new ArgumentNullException(nameof(session));

    /// <summary>The KvmTimeSession or PSSession.</summary>
    public object Value { get; }

    public override string ToString() => Value.ToString() ?? string.Empty;
}
