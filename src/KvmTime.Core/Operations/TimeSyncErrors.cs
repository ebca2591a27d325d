using KvmTime.Model;
using KvmTime.Targets;

namespace KvmTime.Operations;

/// <summary>A sync that ran but stayed outside -MaxOffset is written as its result and as an error.</summary>
internal static class TimeSyncErrors
{
    public static KvmTimeException? OffsetAboveMaximum(object result, TimeSpan? maxOffset) =>
        result is TimeSyncResult { Succeeded: false, Applied: true } failed && maxOffset is not null
            ? new KvmTimeException(ErrorIds.OffsetAboveMaximum, FailureKind.InvalidResult, failed.Message) { ComputerName = failed.Target() }
            : null;

    private static string Target(this TimeSyncResult result) => result.Domain is null ? result.ComputerName : $"{result.Domain} on {result.ComputerName}";
}
