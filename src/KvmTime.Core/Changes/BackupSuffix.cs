using System.Globalization;

namespace KvmTime.Changes;

/// <summary>The suffix of a backup a change makes of a file: FILE.kvmtime-20261205T220501123Z (UTC, to the millisecond).</summary>
internal static class BackupSuffix
{
    public static string At(DateTime utcNow) => ".kvmtime-" + utcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
}
