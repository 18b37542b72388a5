namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>The test's Prometheus parser accepts the text format and refuses what is not (so a pass means /metrics parses).</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Parse_FamiliesWithHelpLabelsEscapesAndHistogramSeries_ReadsEverySample()
    {
        var scrape = PrometheusText.Parse("""
            # TYPE requests_total counter
            # HELP requests_total Requests \\ served\nso far
            requests_total{path="/a\"b\\c",code="200",} 3 1700000000000
            requests_total 1.5e3
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="+Inf"} 2
            latency_seconds_sum 0.35
            latency_seconds_count 2
            # a comment
            # TYPE up gauge
            up NaN

            """);

        var requests = scrape.Family("requests_total");
        Assert.Equal("counter", requests.Type);
        Assert.Equal("Requests \\ served\nso far", requests.Help);
        Assert.Equal("/a\"b\\c", requests.Samples[0].Labels["path"]);
        Assert.Equal(1500, requests.Samples[1].Value);
        Assert.Equal(2, scrape.Family("latency_seconds").Where("latency_seconds_count").Single().Value);
        Assert.True(double.IsNaN(scrape.Family("up").Samples.Single().Value));
    }

    [Theory]
    [InlineData("orphan 1")]
    [InlineData("# TYPE a counter\nb 1")]
    [InlineData("# TYPE a counter\na{x=\"1\" 1")]
    [InlineData("# TYPE a counter\na{x=1} 1")]
    [InlineData("# TYPE a counter\na one")]
    [InlineData("# TYPE a counter\na 1\na 2")]
    [InlineData("# TYPE a rate\na 1")]
    [InlineData("# TYPE a counter\na{x=\"\\t\"} 1")]
    [InlineData("# TYPE 1a counter")]
    public void Parse_MalformedText_Throws(string text) => Assert.Throws<FormatException>(() => PrometheusText.Parse(text));
}
