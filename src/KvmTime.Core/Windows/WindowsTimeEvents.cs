using System.Globalization;
using System.Text.Json;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Windows;

/// <summary>What a Windows time event says happened.</summary>
internal enum WindowsTimeEventKind
{
    /// <summary>Kernel-General 1: the system time was changed.</summary>
    SystemTimeChanged,

    /// <summary>Time-Service 35: now synchronizing with a source.</summary>
    SyncStarted,

    /// <summary>Time-Service 37: the NtpClient receives valid time data.</summary>
    SourceValid,

    /// <summary>Time-Service 52: the service set the time with an offset.</summary>
    TimeSet,

    /// <summary>Time-Service 36: no sync for a long time.</summary>
    NotSynchronized,

    /// <summary>Other Time-Service events (33, 34, 47, 50, 129-134, 158).</summary>
    TimeServiceOther,
}

/// <summary>One time event from the System log, read from its event data (not the localized message).</summary>
internal sealed record WindowsTimeEvent(
    DateTime TimeCreated,
    string Provider,
    int EventId,
    WindowsTimeEventKind Kind,
    DateTime? NewTime,
    DateTime? OldTime,
    TimeSpan? Change,
    string? Source,
    int? Stratum,
    string? Process,
    IReadOnlyList<string> Data);

/// <summary>
/// The Get-WinEvent snippet and its parser: events of Microsoft-Windows-Kernel-General (1) and
/// Microsoft-Windows-Time-Service, with their event data as strings (dates in UTC ISO 8601).
/// </summary>
internal static class WindowsTimeEvents
{
    public const string KernelGeneral = "Microsoft-Windows-Kernel-General";
    public const string TimeService = "Microsoft-Windows-Time-Service";

    public const string Script = """
        param([int] $MaxEvents = 200)
        $ErrorActionPreference = 'Stop'
        $filter = @{ LogName = 'System'; ProviderName = 'Microsoft-Windows-Kernel-General', 'Microsoft-Windows-Time-Service' }
        $events = @(Get-WinEvent -FilterHashtable $filter -MaxEvents $MaxEvents -ErrorAction SilentlyContinue |
            Where-Object { $_.ProviderName -ne 'Microsoft-Windows-Kernel-General' -or $_.Id -eq 1 } |
            ForEach-Object {
                [ordered]@{
                    Id = $_.Id
                    Provider = $_.ProviderName
                    TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o')
                    Data = @($_.Properties | ForEach-Object {
                        if ($_.Value -is [datetime]) { $_.Value.ToUniversalTime().ToString('o') } else { [string]$_.Value } })
                }
            })
        ConvertTo-Json -InputObject $events -Depth 4 -Compress
        """;

    public static IReadOnlyList<WindowsTimeEvent> Parse(string json, string computerName)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json.Trim());
            return document.RootElement.EnumerateArray().Select(Event).ToList();
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            throw new KvmTimeException(ErrorIds.WindowsEventsUnreadable, FailureKind.InvalidData, string.Format(CultureInfo.InvariantCulture, Messages.WindowsEventsUnreadable, computerName, e.Message), e) { ComputerName = computerName };
        }
    }

    private static WindowsTimeEvent Event(JsonElement e)
    {
        var id = e.GetProperty("Id").GetInt32();
        var provider = e.GetProperty("Provider").GetString() ?? string.Empty;
        var data = e.GetProperty("Data").EnumerateArray().Select(d => d.GetString() ?? string.Empty).ToList();
        var created = Utc(e.GetProperty("TimeCreated").GetString()) ?? throw new FormatException("TimeCreated is not a date");
        string? At(int i) => i < data.Count && data[i].Length > 0 ? data[i] : null;

        if (provider == KernelGeneral && id == 1)
        {
            // NewTime, OldTime, Reason, ProcessName, ProcessId
            var newTime = Utc(At(0));
            var oldTime = Utc(At(1));
            return new WindowsTimeEvent(created, provider, id, WindowsTimeEventKind.SystemTimeChanged, newTime, oldTime,
                newTime - oldTime, null, null, At(3), data);
        }

        var kind = id switch
        {
            35 => WindowsTimeEventKind.SyncStarted,
            37 => WindowsTimeEventKind.SourceValid,
            52 => WindowsTimeEventKind.TimeSet,
            36 => WindowsTimeEventKind.NotSynchronized,
            _ => WindowsTimeEventKind.TimeServiceOther,
        };
        var source = kind is WindowsTimeEventKind.SyncStarted or WindowsTimeEventKind.SourceValid ? At(0) : null;
        int? stratum = kind == WindowsTimeEventKind.SyncStarted && int.TryParse(At(2), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null;
        TimeSpan? change = kind == WindowsTimeEventKind.TimeSet && double.TryParse(At(0), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? TimeRange.FromSeconds(seconds) : null;
        return new WindowsTimeEvent(created, provider, id, kind, null, null, change, source, stratum, null, data);
    }

    private static DateTime? Utc(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
