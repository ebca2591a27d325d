using System.Globalization;
using System.Text.Json;
using KvmTime.Resources;
using KvmTime.Targets;
using KvmTime.Windows;

namespace KvmTime.Health;

/// <summary>What the Windows snippet printed: w32tm's verbose status, the timer facts, and RealTimeIsUniversal.</summary>
internal sealed record WindowsHealthOutput(string Status, string? ClockJson, string? ClockError, long? RealTimeIsUniversal);

/// <summary>
/// Test-KvmTimeHealth's one round trip on Windows: w32tm's status (<see cref="W32TimeSyncStatus.Script"/>),
/// the timer facts (<see cref="WindowsClockScript.Script"/>) and the RTC's interpretation from the
/// registry, as one JSON line. Runs in Windows PowerShell 5.1 too.
/// </summary>
internal static class WindowsHealthScript
{
    public const string TimeZoneKey = @"HKLM:\SYSTEM\CurrentControlSet\Control\TimeZoneInformation";

    public static string Script { get; } = $$"""
        $h = [ordered]@{ Status = {{W32TimeSyncStatus.Script}}; Clock = $null; ClockError = $null; RealTimeIsUniversal = $null }
        try { $h.Clock = & { {{WindowsClockScript.Script}} } } catch { $h.ClockError = $_.Exception.Message }
        try { $h.RealTimeIsUniversal = [long](Get-ItemProperty -Path '{{TimeZoneKey}}' -Name RealTimeIsUniversal -ErrorAction Stop).RealTimeIsUniversal } catch { }
        $h | ConvertTo-Json -Compress
        """;

    public static WindowsHealthOutput Parse(string json, string computerName)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new WindowsHealthOutput(
                Text(root, "Status") ?? string.Empty,
                Text(root, "Clock"),
                Text(root, "ClockError"),
                root.TryGetProperty("RealTimeIsUniversal", out var rtiu) && rtiu.ValueKind == JsonValueKind.Number && rtiu.TryGetInt64(out var value) ? value : null);
        }
        catch (Exception e) when (ForeignJson.IsUnreadable(e))
        {
            throw new KvmTimeException(ErrorIds.WindowsHealthUnreadable, FailureKind.InvalidData,
                string.Format(CultureInfo.InvariantCulture, Messages.WindowsHealthUnreadable, computerName, e.Message), e) { ComputerName = computerName };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
