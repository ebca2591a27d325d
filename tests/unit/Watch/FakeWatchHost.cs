using System.Collections.Concurrent;
using System.Globalization;
using KvmTime.Host;
using KvmTime.Targets;

namespace KvmTime.Tests.Watch;

/// <summary>
/// A KVM host for GuestTimeWatch, answered in memory: no time daemon, the running domains, one
/// guest whose offset the test sets, an agent that is connected or not, and virsh event output
/// handed out by the event poll as the test queues it (hand-written in virsh's format).
/// </summary>
internal sealed class FakeWatchHost : ITarget
{
    private readonly ConcurrentQueue<string> events = new();

    public string ComputerName => "kvm01";

    public TargetOs Os => TargetOs.Linux;

    public IReadOnlyList<string> RunningDomains { get; init; } = ["web01"];

    /// <summary>Guest minus host; a guest-set-time brings it to zero.</summary>
    public TimeSpan Offset { get; set; }

    public bool AgentConnected { get; set; } = true;

    public int Sets { get; private set; }

    /// <summary>Where the next guest-set-time calls leave the clock (a busy guest applies the time late); zero once empty.</summary>
    public ConcurrentQueue<TimeSpan> SetResidues { get; } = new();

    public void Queue(string eventLine) => events.Enqueue(eventLine);

    public Task<GatherResult> GatherAsync(GatherRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new GatherResult(request.Items.Select(Answer).ToList()));
    }

    /// <summary>A machine without virsh: every virsh call exits 127 as sh does.</summary>
    public bool WithoutVirsh { get; init; }

    public async Task<CommandResult> RunShellAsync(string script, string? standardInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (WithoutVirsh)
        {
            return new CommandResult(127, "sh: 1: virsh: not found\n", string.Empty);
        }

        if (script.Contains("list --state-running", StringComparison.Ordinal))
        {
            return new CommandResult(0, string.Join('\n', RunningDomains) + "\n", string.Empty);
        }

        if (!script.Contains(" event --all --loop --timestamp", StringComparison.Ordinal))
        {
            return new CommandResult(1, "error: unexpected command", string.Empty);
        }

        // The long poll: answers as soon as events are queued, else after a moment with none.
        for (var i = 0; i < 20 && events.IsEmpty; i++)
        {
            await Task.Delay(50, cancellationToken);
        }

        var lines = new List<string>();
        while (events.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return new CommandResult(0, string.Concat(lines.Select(l => l + "\n")), string.Empty);
    }

    private GatherValue Answer(GatherItem item) => item.Key switch
    {
        "daemons" => new(item.Key, string.Empty, 0),
        "state" => new(item.Key, "running\n", 0),
        "info" when !AgentConnected => new(item.Key, "error: Guest agent is not responding: QEMU guest agent is not connected\n", 1),
        "info" => new(item.Key, """{"return":{"version":"7.2.0","supported_commands":[{"enabled":true,"name":"guest-set-time","success-response":true}]}}""", 0),
        "time" => new(item.Key, TimeSample(), 0),
        "set" => Set(item.Key),
        _ => new(item.Key, string.Empty, 1),
    };

    private GatherValue Set(string key)
    {
        Sets++;
        Offset = SetResidues.TryDequeue(out var residue) ? residue : TimeSpan.Zero;
        return new(key, string.Empty, 0);
    }

    private string TimeSample()
    {
        var host = GuestClockSample.UnixNanosecondsNow();
        var guest = host + (Offset.Ticks * 100);
        return string.Create(CultureInfo.InvariantCulture, $"{host} {host}\n{{\"return\":{guest}}}");
    }
}
