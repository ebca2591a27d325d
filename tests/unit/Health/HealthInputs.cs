using KvmTime.Health;
using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Tests.Health;

/// <summary>
/// Builds what Test-KvmTimeHealth's one round trip returns from recorded samples, key by key as the
/// readers ask for them, and runs it through the real parse and rules. A key left out reads as a failed command.
/// </summary>
internal sealed class HealthInputs
{
    public const string Nonce = "0123456789ab";

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal)
    {
        // The build machine's real clocksource files and first CPU (a KVM guest with an invariant TSC).
        ["current"] = "tsc\n",
        ["available"] = SampleFiles.ReadBody("sysfs/build-machine-available.txt"),
        ["cmdline"] = SampleFiles.ReadBody("sysfs/build-machine-cmdline.txt"),
        ["cpuinfo"] = SampleFiles.ReadBody("cpuinfo/build-machine-amd-epyc-kvm-guest.txt"),
        ["daemons"] = "chronyd\n",
        ["chrony_tracking"] = SampleFiles.ReadBody("timesync/chrony-tracking.csv"),
        ["chrony_conf_debian"] = SampleFiles.ReadBody("timesync/chrony-vm-good.conf"),
        ["idle-driver"] = "none\n",
        ["clock"] = "1765000000.000000000\n100.00 50.00\nbtime 1764999900\n+0000\n",
    };

    public HealthInputs Set(string key, string text)
    {
        values[key] = text;
        return this;
    }

    public HealthInputs Without(string key)
    {
        values.Remove(key);
        return this;
    }

    /// <summary>A kernel log as the gather script frames dmesg's candidate lines.</summary>
    public HealthInputs KernelLog(string dmesg) => Set("kernellog", $"@@KVMTIME-LOG:{Nonce} SOURCE 0 Dmesg\n{dmesg.TrimEnd('\n')}\n");

    /// <summary>A KVM host with these running domains, each with the same XML as definition and live (a live dump holds the definition too).</summary>
    public HealthInputs Domains(params (string Name, string Xml)[] domains) =>
        Domains(domains.Select(d => new RunningDomain(d.Name, d.Xml, d.Xml)).ToArray());

    public HealthInputs Domains(params RunningDomain[] domains) =>
        Set("kvm_host", string.Empty).Set(HostDomains.Key, HostDomains.Frame(Nonce, domains));

    /// <summary>What the last check could not judge.</summary>
    public List<string> Warnings { get; } = [];

    public KvmTimeHealth Check(string targetArguments = "-ComputerName g1")
    {
        var gathered = new GatherResult(values.Select(v => new GatherValue(v.Key, v.Value, 0)));
        var facts = new LinuxHealthGather(Nonce).Parse(gathered, "g1");
        Warnings.Clear();
        return HealthReport.Linux(facts, new FixCommand(targetArguments), new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc), Warnings);
    }

    public static HealthFinding Only(KvmTimeHealth health, string id) => Xunit.Assert.Single(health.Findings, f => f.Id == id);
}
