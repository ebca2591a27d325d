using System.Globalization;
using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>Splits "host", "host:port", "[v6]:port" and bare IPv6 addresses.</summary>
internal static class HostAddress
{
    public static (string Host, int? Port) Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new KvmTimeException(ErrorIds.InvalidComputerName, FailureKind.InvalidArgument, Messages.InvalidComputerNameEmpty);
        }

        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close > 0)
            {
                var host = value[1..close];
                var rest = value[(close + 1)..];
                return rest.StartsWith(':') ? (host, ParsePort(rest[1..], value)) : (host, null);
            }
        }

        var colon = value.LastIndexOf(':');
        if (colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return (value[..colon], ParsePort(value[(colon + 1)..], value));
        }

        return (value, null);
    }

    private static int ParsePort(string text, string whole) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new KvmTimeException(ErrorIds.InvalidComputerName, FailureKind.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, Messages.InvalidComputerNamePort, whole));
}
