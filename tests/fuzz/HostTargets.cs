using KvmTime.Host;
using KvmTime.Targets;

namespace KvmTime.Fuzz;

/// <summary>The KVM host side: guest agent replies (socket and virsh), domain XML, virsh output.</summary>
public static class HostTargets
{
    private static readonly string[] Domains = ["libvirt/*.xml"];

    // Hand-written in qemu-ga's documented reply format (QEMU qga/qapi-schema.json).
    private const string GuestInfoReply = "{\"return\": {\"version\": \"8.2.0\", \"supported_commands\": [{\"enabled\": true, \"name\": \"guest-set-time\", \"success-response\": true}, {\"enabled\": false, \"name\": \"guest-exec\"}]}}\n";

    public static IEnumerable<FuzzTarget> All() =>
    [
        new("agent-guest-info", [Text(GuestInfoReply), .. WrongShapes.Select(Text)], s => Agent(s).GetInfoAsync(CancellationToken.None).GetAwaiter().GetResult()),
        new("agent-guest-get-time", [Text("{\"return\": 1767225600123456789}\n"), .. WrongShapes.Select(Text)], s => Agent(s).GetTimeAsync(CancellationToken.None).GetAwaiter().GetResult()),
        new("agent-sync", [Text("\u00ff{\"return\": 12345}\n")], s => Agent(s).SyncAsync(CancellationToken.None).GetAwaiter().GetResult()),
        new("virsh-guest-clock", [Text(GatherInput.Join(["running", GuestInfoReply, "1767225600000000000 1767225600002000000\n{\"return\":1767225600001000000}"]))], s => KvmTime.Operations.HostTimeSync.PlanAsync(new KvmTime.Operations.VirshGuestClock(new FakeGatherTarget(s), LibvirtNames.DefaultUri, "guest"), CancellationToken.None).GetAwaiter().GetResult()),
        new("virsh-timed-guest-time", [Text("1767225600000000000 1767225600002000000\n{\"return\":1767225600001000000}")], s => VirshCommands.ParseTimedGuestTime(s)),
        new("virsh-list", [Text("guest1\nguest2\n\n")], s => KvmTime.Operations.VirshGuestClock.ListRunningAsync(new FakeGatherTarget(s), LibvirtNames.DefaultUri, CancellationToken.None).GetAwaiter().GetResult()),
        new("virsh-failure", [Text("error: failed to get domain 'guest'\n"), Text("error: Guest agent is not responding: QEMU guest agent is not connected\n")],
            s => VirshFailures.Classify(s, 1, "fuzz", "guest")),
        new("virsh-event", ["libvirt/virsh-event-*.txt"], s => DomainEventParser.ParseAll(s).Select(ClockEventRules.React).ToList()),
        new("domain-clock-read", Domains, ReadDomain),
        new("domain-clock-plan-linux", Domains, s => DomainClockPlanner.Plan("guest", s, "shut off", DomainClockPresets.Get("Linux"))),
        new("domain-clock-plan-windows", Domains, s => DomainClockPlanner.Plan("guest", s, "running", DomainClockPresets.Get("Windows"))),
        new("domain-health", Domains, s => KvmTime.Health.DomainHealthRules.Evaluate(new KvmTime.Health.RunningDomain("guest", s, s), new KvmTime.Health.FixCommand("-ComputerName fuzz")).ToList()),
        new("domain-health-frames", [Text("@@FILE:n:inactive/g1\n<domain/>\n@@EOF:n\n@@FILE:n:live/g1\n<domain/>\n@@EOF:n\n@@FILE:n:live/g2\n")], s => KvmTime.Health.HostDomains.Parse(s, "n")),
    ];

    // Valid JSON of the wrong shape: what a confused or hostile agent may send.
    private static readonly string[] WrongShapes = ["{\"return\":\"not-an-object\"}\n", "{\"return\":[1]}\n", "{\"error\":\"x\"}\n", "{\"error\":{\"class\":1,\"desc\":[]}}\n",
        "{\"return\":{\"version\":8,\"supported_commands\":[1,\"x\",{\"name\":2},{\"name\":\"guest-set-time\",\"enabled\":\"yes\"}]}}\n", "[]\n", "{\"return\":1e400}\n"];

    private static string Text(string text) => FuzzTarget.TextSeed + text;

    private static GuestAgentClient Agent(string reply) => new(new FakeAgentStream(reply), "fuzz agent");

    private static void ReadDomain(string xml)
    {
        var gathered = new GatherResult([
            new GatherValue(DomainClockScripts.Key("state", 0), "running", 0),
            new GatherValue(DomainClockScripts.Key("xml", 0), xml, 0)]);
        DomainClockReader.Clock(DomainClockReader.Definition(gathered, 0, "guest", "fuzz"), LibvirtNames.DefaultUri, "fuzz");
    }
}
