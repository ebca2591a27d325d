using System.Text.Json;

namespace KvmTime.Targets;

/// <summary>
/// JSON that a target printed is foreign text: System.Text.Json reports its wrong shapes with
/// several exception types, which the parsers turn into their own KvmTimeException.
/// </summary>
internal static class ForeignJson
{
    /// <summary>
    /// Not JSON (JsonException), the wrong shape (KeyNotFoundException, InvalidOperationException),
    /// a number out of range (FormatException), lone UTF-16 surrogates or duplicate keys (ArgumentException).
    /// </summary>
    public static bool IsUnreadable(Exception e) =>
        e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException;
}
