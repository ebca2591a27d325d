using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Linux.TimeSyncConfig;

/// <summary>
/// Public NTP services known to smear leap seconds, by operator. chrony's documentation: clients of
/// leap-smearing servers should use only one, or identically configured ones, and must not mix them
/// with sources that insert the leap second (pool servers, a PHC), or use leapsectz.
/// </summary>
internal static class LeapSmearingServices
{
    private static readonly Dictionary<string, string> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["time.google.com"] = "Google",
        ["time1.google.com"] = "Google",
        ["time2.google.com"] = "Google",
        ["time3.google.com"] = "Google",
        ["time4.google.com"] = "Google",
        ["metadata.google.internal"] = "Google",
        ["time.aws.com"] = "Amazon",
        ["169.254.169.123"] = "Amazon",
        ["fd00:ec2::123"] = "Amazon",
        ["time.facebook.com"] = "Meta",
        ["time1.facebook.com"] = "Meta",
        ["time2.facebook.com"] = "Meta",
        ["time3.facebook.com"] = "Meta",
        ["time4.facebook.com"] = "Meta",
        ["time5.facebook.com"] = "Meta",
    };

    /// <summary>The operator whose smear a source follows, or null for a source that is not known to smear.</summary>
    public static string? OperatorOf(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Operators.GetValueOrDefault(source.TrimEnd('.'));
    }

    /// <summary>
    /// Why a set of sources must not be combined, or null when it may: every source follows the same
    /// smear, or none smears. PHC reference clocks count as not smearing (the host inserts leap seconds).
    /// </summary>
    public static string? MixingProblem(IEnumerable<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var kinds = sources.Distinct(StringComparer.OrdinalIgnoreCase)
            .GroupBy(s => OperatorOf(s) is { } op ? string.Format(CultureInfo.InvariantCulture, Messages.LeapSmearingOperator, op) : Messages.LeapNotSmearing)
            .ToList();
        if (kinds.Count < 2)
        {
            return null;
        }

        return string.Format(CultureInfo.InvariantCulture, Messages.LeapSmearingMixed, string.Join("; ", kinds.Select(k => string.Format(CultureInfo.InvariantCulture, Messages.LeapSmearingGroup, k.Key, string.Join(", ", k)))));
    }

    /// <summary>True when every source is known to smear (then leapsectz must go).</summary>
    public static bool AllSmear(IReadOnlyCollection<string> sources) =>
        sources.Count > 0 && sources.All(s => OperatorOf(s) is not null);
}
