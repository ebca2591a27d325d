using System.Collections.Concurrent;
using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>
/// A reusable connection to one machine, made by New-KvmTimeSession. It is a plain object the user
/// holds, so it crosses runspaces, ForEach-Object -Parallel and thread jobs in the same process.
/// </summary>
public sealed class KvmTimeSession
{
    private static int lastId;
    private static readonly ConcurrentDictionary<int, KvmTimeSession> Open = new();

    internal KvmTimeSession(ITarget target, string userName, int port)
    {
        Target = target;
        Id = Interlocked.Increment(ref lastId);
        ComputerName = target.ComputerName;
        UserName = userName;
        Port = port;
        Opened = DateTime.UtcNow;
    }

    public int Id { get; }

    public string ComputerName { get; }

    public string UserName { get; }

    public int Port { get; }

    public DateTime Opened { get; }

    /// <summary>Opened, Broken (the connection dropped; the next use reconnects) or Closed.</summary>
    public string State => closed ? "Closed" : Target is IConnectionState { IsConnected: false } ? "Broken" : "Opened";

    internal ITarget Target { get; }

    private bool closed;

    /// <summary>The sessions of this process that are not closed, by Id.</summary>
    internal static IReadOnlyList<KvmTimeSession> All => Open.Values.OrderBy(s => s.Id).ToList();

    /// <summary>Makes a session for a connected target and registers it.</summary>
    internal static KvmTimeSession Register(ITarget target, string userName, int port)
    {
        var session = new KvmTimeSession(target, userName, port);
        Open[session.Id] = session;
        return session;
    }

    /// <summary>The target to use, refusing a closed session with a clear error.</summary>
    internal ITarget TargetForUse() => closed
        ? throw new KvmTimeException(ErrorIds.SessionClosed, FailureKind.InvalidOperation,
            string.Format(CultureInfo.InvariantCulture, Messages.SessionClosed, Id, ComputerName)) { ComputerName = ComputerName }
        : Target;

    internal void Close()
    {
        closed = true;
        Open.TryRemove(Id, out _);
        (Target as IDisposable)?.Dispose();
    }

    public override string ToString() => $"KvmTimeSession {Id} {UserName}@{ComputerName}";
}

/// <summary>A target with a connection that can drop.</summary>
internal interface IConnectionState
{
    bool IsConnected { get; }
}
