using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using InventoryOrleans.Api.Telemetry;
using InventoryOrleans.Ingest.Tracing;
using InventoryOrleans.Telemetry.Tests.Support;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Cluster;
using Xunit.Abstractions;

namespace InventoryOrleans.Telemetry.Tests.Tracing;

/// <summary>
/// One posted sale followed through its trace, as a viewer shows it: the HTTP request, the API's post and its Kafka
/// producer span, the ingest's span of that message (the traceparent header carried it across Kafka), the grain call
/// that decided it, and the publication of its outcome in the batch's transaction — one trace id, each span the
/// child of the one before.
/// </summary>
public sealed class SaleTraceTests(ITestOutputHelper output)
{
    private const string AspNetCore = "Microsoft.AspNetCore";
    private const string OrleansApplication = "Microsoft.Orleans.Application";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PostedSale_WithTracing_OneTraceRunsFromTheHttpSpanThroughKafkaAndTheGrainCallToTheOutcomesPublication()
    {
        await using var cluster = await InventoryTestCluster.StartAsync(silos: 1, new Dictionary<string, string?> { [InventoryTracingExtensions.GrainCallsKey] = "true" });
        await using var api = await TracedApiHost.StartAsync(cluster.Grains, cluster.Broker!.BootstrapServers);
        var eventId = "traced-sale-" + Guid.NewGuid().ToString("N");

        using var response = await api.Http.PostAsJsonAsync("/api/sales?wait=true", new { productId = "traced-p-1", quantity = 2, eventId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        SaleTrace? trace = null;
        try
        {
            await Eventually.TrueAsync(() => (trace = SaleTrace.Find(api.Spans.Snapshot(), eventId)).Complete, Patience, "the sale's trace reaches the publication of its outcome");
        }
        catch (TimeoutException)
        {
            foreach (var span in api.Spans.Snapshot().Where(s => s.Source.Name != OrleansApplication || s.TraceId == trace?.Post?.TraceId))
            {
                output.WriteLine($"{span.Source.Name} {span.Kind} '{span.DisplayName}' trace={span.TraceId} span={span.SpanId} parent={span.ParentSpanId} status={span.Status}");
            }

            throw;
        }

        var found = trace!;
        var traceId = found.Server!.TraceId;
        Assert.All([found.Post!, found.Producer!, found.Ingest!, found.GrainCall!, found.Publish!], span => Assert.Equal(traceId, span.TraceId));
        Assert.Equal("/api/sales", found.Server.GetTagItem("url.path"));
        Assert.Equal("kafka", found.Producer!.GetTagItem("messaging.system"));
        Assert.Equal("inventory.sales", found.Ingest!.GetTagItem("messaging.destination.name"));
        Assert.Equal("traced-p-1", found.Ingest.GetTagItem("inventory.product.id"));
        Assert.Equal(found.Producer.GetTagItem("messaging.kafka.offset"), found.Ingest.GetTagItem("messaging.kafka.offset"));
        Assert.NotEqual(ActivityStatusCode.Error, found.Ingest.Status);
        Assert.NotEqual(ActivityStatusCode.Error, found.Publish!.Status);
        Assert.Contains(found.Ingest.Links, link => link.Context.SpanId == found.Batch!.SpanId);
        Assert.Contains(found.Batch!.Links, link => link.Context.SpanId == found.Producer.SpanId);
    }

    /// <summary>The spans of one sale's trace, each found as the child of the one before it.</summary>
    private sealed record SaleTrace(Activity? Server, Activity? Post, Activity? Producer, Activity? Ingest, Activity? Batch, Activity? GrainCall, Activity? Publish)
    {
        public bool Complete => Server is not null && Post is not null && Producer is not null && Ingest is not null && Batch is not null && GrainCall is not null && Publish is not null;

        public static SaleTrace Find(IReadOnlyList<Activity> spans, string eventId)
        {
            var post = spans.FirstOrDefault(s => s.Source.Name == ApiActivitySource.Name && s.DisplayName == "post event" && Equals(s.GetTagItem("inventory.event.id"), eventId));
            var server = post is null ? null : spans.FirstOrDefault(s => s.Source.Name == AspNetCore && s.Kind == ActivityKind.Server && s.SpanId == post.ParentSpanId);
            var producer = post is null ? null : spans.FirstOrDefault(s => s.Source.Name == ApiActivitySource.Name && s.Kind == ActivityKind.Producer && s.ParentSpanId == post.SpanId && s.DisplayName == "send inventory.sales");
            var ingest = producer is null ? null : spans.FirstOrDefault(s => s.Source.Name == IngestActivitySource.Name && s.Kind == ActivityKind.Consumer && s.ParentSpanId == producer.SpanId && s.DisplayName == "process inventory.sales" && Equals(s.GetTagItem("inventory.event.id"), eventId));
            var batch = ingest is null ? null : spans.FirstOrDefault(s => s.Source.Name == IngestActivitySource.Name && s.DisplayName == "process" && ingest.Links.Any(l => l.Context.SpanId == s.SpanId));
            var grainCall = ingest is null ? null : spans.FirstOrDefault(s => s.Source.Name == OrleansApplication && s.Kind == ActivityKind.Client && s.ParentSpanId == ingest.SpanId && s.DisplayName.Contains("ApplyBatch", StringComparison.Ordinal));
            var publish = ingest is null ? null : spans.FirstOrDefault(s => s.Source.Name == IngestActivitySource.Name && s.Kind == ActivityKind.Producer && s.ParentSpanId == ingest.SpanId && s.DisplayName == "send inventory.outcomes");
            return new SaleTrace(server, post, producer, ingest, batch, grainCall, publish);
        }
    }
}
