using System.Globalization;
using System.Text;

namespace KvmTime.Metrics;

/// <summary>
/// The pieces of Prometheus' text exposition format (version 0.0.4) that need care: escaping, sample
/// values and valid names. node_exporter's textfile collector drops a whole file on one parse error.
/// </summary>
internal static class PrometheusText
{
    /// <summary>A label value between double quotes: backslash, double quote and line feed are escaped, nothing else.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Escape(value, escapeQuote: true);
    }

    /// <summary>HELP text: backslash and line feed are escaped (a double quote is literal there).</summary>
    public static string EscapeHelp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Escape(text, escapeQuote: false);
    }

    /// <summary>A sample value as Go's ParseFloat reads it: shortest round-trip digits, NaN, +Inf, -Inf.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>[a-zA-Z_:][a-zA-Z0-9_:]*, without the colons, which are reserved for recording rules.</summary>
    public static bool IsValidMetricName(string name) => IsName(name);

    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*, and not starting with the reserved __.</summary>
    public static bool IsValidLabelName(string name) => IsName(name) && !name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*.</summary>
    private static bool IsName(string name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Escape(string value, bool escapeQuote)
    {
        var escaped = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => escaped.Append(@"\\"),
                '\n' => escaped.Append(@"\n"),
                '"' when escapeQuote => escaped.Append("\\\""),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
