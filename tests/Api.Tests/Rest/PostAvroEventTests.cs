using System.Net;
using Avro.Generic;
using InventoryOrleans.Api.Tests.Support;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Avro;
using InventoryOrleans.TestSupport.Avro;

namespace InventoryOrleans.Api.Tests.Rest;

/// <summary>
/// <c>Api:ProduceFormat=avro</c>: a posted JSON body is produced as Confluent-framed Avro of InventoryEvent.avsc, which
/// Confluent's deserializer reads and the ingest decides.
/// </summary>
[Collection(ApiClusterCollection.Name)]
public sealed class PostAvroEventTests(ApiCluster cluster)
{
    [Fact]
    public async Task PostEvent_AvroProduceFormat_FramedRecordDecidedByTheIngest()
    {
        var registry = cluster.Inventory.Broker!.SchemaRegistryUrl;
        await using var host = await cluster.StartHostAsync(cluster.Settings(("Api:ProduceFormat", "avro"), ("SchemaRegistry:Url", registry)));
        var productId = Products.New("post-avro");
        using var response = await host.Http.PostRawAsync("/api/events?wait=true", $$$"""{"type":"Receipt","productId":"{{{productId}}}","quantity":6,"correlationId":"c-avro"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.BodyAsync())!.AsObject();
        Assert.Equal("Applied", body["outcome"]!["status"]!.GetValue<string>());
        Assert.Equal(6, body["outcome"]!["stock"]!["onHand"]!.GetValue<long>());

        var offset = body["offset"]!.GetValue<long>();
        var partition = body["partition"]!.GetValue<int>();
        var record = Assert.Single(cluster.Kafka.ReadAll(Topics.Events), r => r.Partition.Value == partition && r.Offset.Value == offset);
        Assert.True(ConfluentFrame.IsFramed(record.Message.Value));
        using var avro = new AvroTestClient(registry);
        var decoded = await avro.DeserializeAsync(Topics.Events, record.Message.Value);
        Assert.Equal(body["eventId"]!.GetValue<string>(), decoded["eventId"]);
        Assert.Equal("Receipt", ((GenericEnum)decoded["type"]).Value);
        Assert.Equal("API", decoded["source"]);
        Assert.Equal("c-avro", decoded["correlationId"]);
        Assert.Contains(AvroSchemas.ValueSubject(Topics.Events), await avro.Registry.GetAllSubjectsAsync());
    }
}
