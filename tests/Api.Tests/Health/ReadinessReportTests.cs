using InventoryOrleans.Api.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InventoryOrleans.Api.Tests.Health;

/// <summary>How a health report becomes the <c>/readyz</c> body (<see cref="ReadinessReport.From"/>), the one shape of every host.</summary>
public sealed class ReadinessReportTests
{
    [Fact]
    public void From_EveryCheckHealthy_ReadyWithEachCheckInOrder()
    {
        var report = ReadinessReport.From(Report(
            ("broker", Entry(HealthStatus.Healthy, "1 broker(s) reachable")),
            ("partitions", Entry(HealthStatus.Healthy, "2 partitions assigned", data: new Dictionary<string, object> { ["partitions"] = new[] { 4, 7 } }))));

        Assert.True(report.Ready);
        Assert.Equal(["broker", "partitions"], report.Checks.Keys);
        Assert.Null(report.Checks["broker"].Data);
        Assert.Equal(new[] { 4, 7 }, report.Checks["partitions"].Data!["partitions"]);
    }

    [Fact]
    public void From_CheckThatThrew_NotOkWithTheExceptionsMessage()
    {
        var report = ReadinessReport.From(Report(
            ("redis", Entry(HealthStatus.Unhealthy, description: null, exception: new TimeoutException("no answer in 2 s")))));

        Assert.False(report.Ready);
        Assert.Equal(new ReadinessCheck(false, "no answer in 2 s"), report.Checks["redis"]);
    }

    [Fact]
    public void From_DegradedCheck_NotOkAndNotReady()
    {
        var report = ReadinessReport.From(Report(("ingest", Entry(HealthStatus.Degraded, "slow"))));

        Assert.False(report.Ready);
        Assert.False(report.Checks["ingest"].Ok);
    }

    private static HealthReport Report(params (string Name, HealthReportEntry Entry)[] entries) =>
        new(entries.ToDictionary(e => e.Name, e => e.Entry, StringComparer.Ordinal), TimeSpan.Zero);

    private static HealthReportEntry Entry(HealthStatus status, string? description, Exception? exception = null, Dictionary<string, object>? data = null) =>
        new(status, description, TimeSpan.Zero, exception, data);
}
