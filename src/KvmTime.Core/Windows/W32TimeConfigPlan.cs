using System.Globalization;
using System.Text;
using KvmTime.Changes;
using KvmTime.Linux.TimeSyncConfig;

namespace KvmTime.Windows;

/// <summary>
/// A Windows guest's w32time change for a KVM VM (no Hyper-V time provider to lean on): manual NTP
/// peers, the poll interval, /update, a resync, and the check with w32tm /query /status.
/// </summary>
internal sealed class W32TimeConfigPlan : IChangePlan
{
    private const string NtpClientKey = @"HKLM:\SYSTEM\CurrentControlSet\Services\W32Time\TimeProviders\NtpClient";

    public required string ComputerName { get; init; }

    public required TimeSyncConfigRequest Request { get; init; }

    public required W32TimePeerSettings Before { get; init; }

    public required W32TimePeerSettings After { get; init; }

    /// <summary>The peer host names, without their ",0x9" flags.</summary>
    public required IReadOnlyList<string> Peers { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public string Target => ComputerName;

    public string Action => $"Configure w32time (NTP peers {string.Join(", ", Peers)})";

    public bool IsChange => Before.NtpServer != After.NtpServer || !string.Equals(Before.Type, After.Type, StringComparison.OrdinalIgnoreCase) || Before.SpecialPollInterval != After.SpecialPollInterval;

    public bool RestartRequired => false;

    public bool RebootRequired => false;

    public string Describe()
    {
        var text = new StringBuilder();
        Line(text, "NtpServer", Before.NtpServer, After.NtpServer);
        Line(text, "Type", Before.Type, After.Type);
        Line(text, "SpecialPollInterval", Before.SpecialPollInterval?.ToString(CultureInfo.InvariantCulture), After.SpecialPollInterval?.ToString(CultureInfo.InvariantCulture));
        text.Append("# run: ").Append(ConfigCommand(After)).Append('\n');
        text.Append("# run: w32tm /config /update; w32tm /resync /force\n");
        text.Append(CultureInfo.InvariantCulture, $"# verify: wait up to {(int)Request.Timeout.TotalSeconds} s for w32tm /query /source to name a new peer, then w32tm /query /status; otherwise put the previous peers, type and poll interval back\n");
        return text.ToString();
    }

    /// <summary>The PowerShell that applies <paramref name="settings"/>, resyncs, waits for a source and prints the verbose status.</summary>
    public string ApplyScript(W32TimePeerSettings settings, int waitSeconds) => string.Create(CultureInfo.InvariantCulture, $$"""
        $ErrorActionPreference = 'Stop'
        $out = {{ConfigCommand(settings)}} 2>&1; if ($LASTEXITCODE) { throw "w32tm /config failed ($LASTEXITCODE): $out" }
        {{(settings.SpecialPollInterval is int poll ? $"Set-ItemProperty -Path '{NtpClientKey}' -Name SpecialPollInterval -Value {poll} -Type DWord" : string.Empty)}}
        $out = w32tm /config /update 2>&1; if ($LASTEXITCODE) { throw "w32tm /config /update failed ($LASTEXITCODE): $out" }
        $null = w32tm /resync /force 2>&1
        $deadline = (Get-Date).AddSeconds({{waitSeconds}})
        $peers = @({{string.Join(", ", Peers.Select(p => "'" + p + "'"))}})
        do { $source = "$(w32tm /query /source 2>&1)".Trim(); if ($peers | Where-Object { $source -like "$_*" }) { break }; Start-Sleep -Seconds 2 } while ((Get-Date) -lt $deadline)
        (w32tm /query /status /verbose 2>&1) -join "`n"
        """);

    private static string ConfigCommand(W32TimePeerSettings settings) =>
        $"w32tm /config /manualpeerlist:'{settings.NtpServer}' /syncfromflags:{settings.SyncFromFlags} /update";

    private static void Line(StringBuilder text, string name, string? before, string? after)
    {
        if (before != after)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {name}: {before ?? "(not set)"}\n+ {name}: {after}\n");
        }
    }
}
