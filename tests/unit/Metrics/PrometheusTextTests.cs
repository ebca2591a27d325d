using KvmTime.Metrics;
using Xunit;

namespace KvmTime.Tests.Metrics;

public class PrometheusTextTests
{
    [Theory]
    [InlineData("web1", "web1")]
    [InlineData(@"C:\vm", @"C:\\vm")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", @"two\nlines")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    [InlineData("tab\there, cr\r, ünïcode", "tab\there, cr\r, ünïcode")]
    public void Label_values_escape_backslash_quote_and_line_feed_and_nothing_else(string value, string expected) =>
        Assert.Equal(expected, PrometheusText.EscapeLabelValue(value));

    [Fact]
    public void Help_text_escapes_backslash_and_line_feed_but_keeps_quotes() =>
        Assert.Equal("a \"b\" \\\\ c\\nd", PrometheusText.EscapeHelp("a \"b\" \\ c\nd"));

    [Theory]
    [InlineData(0, "0")]
    [InlineData(2, "2")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(1e-05, "1E-05")]
    [InlineData(1796516063.123, "1796516063.123")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Values_are_written_as_go_parses_them_in_any_culture(double value, string expected)
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal(expected, PrometheusText.FormatValue(value));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("kvmtime_health_verdict", true)]
    [InlineData("_x9", true)]
    [InlineData("9x", false)]
    [InlineData("kvmtime-verdict", false)]
    [InlineData("job:rule", false)]
    [InlineData("", false)]
    public void Metric_names_follow_the_data_model_and_leave_colons_to_rules(string name, bool valid) =>
        Assert.Equal(valid, PrometheusText.IsValidMetricName(name));

    [Theory]
    [InlineData("computer", true)]
    [InlineData("__name__", false)]
    [InlineData("a:b", false)]
    [InlineData("séverity", false)]
    public void Label_names_follow_the_data_model(string name, bool valid) =>
        Assert.Equal(valid, PrometheusText.IsValidLabelName(name));

    [Fact]
    public void A_family_refuses_an_invalid_metric_or_label_name()
    {
        Assert.Throws<ArgumentException>(() => new MetricFamily("kvmtime-x", "help"));
        Assert.Throws<ArgumentException>(() => new MetricFamily("kvmtime_x", "help").Add(1, ("__computer", "a")));
    }
}
