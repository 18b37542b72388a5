using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Product;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Ingest.Parsing;
using InventoryOrleans.Runtime;
using InventoryOrleans.TestSupport.Reference;

namespace InventoryOrleans.Ingest.Tests.Support;

/// <summary>
/// Checks a finished run against a replay of the input topics through the reference model:
/// <list type="bullet">
/// <item>every valid input message has at least one outcome; for each eventId, every decisive outcome (Applied or
/// Rejected) equals the model's decision for the eventId's first occurrence, so there is exactly one decision per
/// eventId (an outcome is published only after the state is persisted, and after that a replay is a Duplicate; the
/// same record may appear twice only when the broker lost a producer's sequence state in a restart). There must be
/// a decisive outcome for every eventId, except those whose state was persisted but whose outcome was never published
/// (a killed silo, or a storage reply lost in an outage after the write): their replay is Duplicate; at most
/// <c>allowedUnpublished</c> of those.</item>
/// <item>every product's highest-version <c>inventory.net-stock</c> record and its persisted state equal the model.</item>
/// <item>every invalid input message is in <c>inventory.dlq</c>, unchanged, with the headers of CONTRACTS.md.</item>
/// </list>
/// </summary>
public sealed class PipelineVerifier(KafkaTestClient client, IGrainStorage storage)
{
    public async Task<VerificationSummary> VerifyAsync(int allowedUnpublished = 0)
    {
        var model = new InventoryReferenceModel();
        var firstDecision = new Dictionary<string, ReferenceOutcome>(StringComparer.Ordinal);
        var validMessages = new Dictionary<string, int>(StringComparer.Ordinal);
        var invalid = new List<ConsumeResult<byte[], byte[]>>();
        var now = DateTimeOffset.UtcNow;
        foreach (var topic in Topics.Inputs)
        {
            foreach (var record in client.ReadAll(topic).OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value))
            {
                var parsed = InventoryEventParser.Parse(record.Message.Key, record.Message.Value);
                if (!parsed.IsValid)
                {
                    invalid.Add(record);
                    continue;
                }

                var e = parsed.Event!;
                var decision = model.Apply(e, record.Topic, record.Partition.Value, record.Offset.Value, now);
                firstDecision.TryAdd(e.EventId, decision);
                validMessages[e.EventId] = validMessages.GetValueOrDefault(e.EventId) + 1;
            }
        }

        var outcomes = client.ReadAll(Topics.Outcomes).Select(r => JsonDocument.Parse(r.Message.Value).RootElement.Clone()).ToList();
        var byEvent = outcomes.GroupBy(o => o.GetProperty("eventId").GetString()!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var unpublished = 0;
        foreach (var (eventId, count) in validMessages)
        {
            Assert.True(byEvent.TryGetValue(eventId, out var records), $"event {eventId} has no outcome");
            Assert.True(records!.Count >= count, $"event {eventId} was sent {count} times but has {records.Count} outcomes");
            var decisive = records.Where(r => r.GetProperty("status").GetString() != "Duplicate")
                .DistinctBy(r => (r.GetProperty("status").GetString(), r.GetProperty("reason").GetString(), r.GetProperty("version").GetInt64()))
                .ToList();
            Assert.True(decisive.Count <= 1, $"event {eventId} has {decisive.Count} different decisive outcomes");
            var expected = firstDecision[eventId];
            if (decisive.Count == 0)
            {
                unpublished++;
                continue;
            }

            var actual = decisive[0];
            Assert.Equal(expected.Status.ToString(), actual.GetProperty("status").GetString());
            Assert.Equal(expected.Reason, actual.GetProperty("reason").GetString());
            Assert.Equal(expected.Version, actual.GetProperty("version").GetInt64());
        }

        Assert.True(unpublished <= allowedUnpublished, $"{unpublished} events have no decisive outcome (allowed: {allowedUnpublished})");

        var netStock = client.ReadAll(Topics.NetStock)
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement.Clone())
            .GroupBy(r => r.GetProperty("productId").GetString()!)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.GetProperty("version").GetInt64()), StringComparer.Ordinal);
        var serializer = new GrainStateSerializer();
        foreach (var productId in model.ProductIds)
        {
            var expected = model.Stock(productId);
            if (expected.Version > 0)
            {
                Assert.True(netStock.TryGetValue(productId, out var record), $"product {productId} has no net-stock record");
                AssertStock(productId, expected, record.GetProperty("onHand").GetInt64(), record.GetProperty("reserved").GetInt64(),
                    record.GetProperty("inTransit").GetInt64(), record.GetProperty("available").GetInt64(), record.GetProperty("version").GetInt64(),
                    record.GetProperty("locations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
            }

            var stored = await storage.ReadAsync(ProductGrain.GrainTypeName, productId, "product");
            if (expected.Version == 0 && !stored.Exists)
            {
                continue;
            }

            Assert.True(stored.Exists, $"product {productId} has no persisted state");
            var view = serializer.Deserialize<ProductState>(stored).ToStockView(productId);
            AssertStock(productId, expected, view.OnHand, view.Reserved, view.InTransit, view.Available, view.Version, view.Locations);
        }

        var deadLetters = client.ReadAll(Topics.DeadLetter);
        foreach (var bad in invalid)
        {
            var match = deadLetters.Where(d => Header(d, DeadLetters.TopicHeader) == bad.Topic
                    && Header(d, DeadLetters.PartitionHeader) == bad.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && Header(d, DeadLetters.OffsetHeader) == bad.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            Assert.True(match.Count >= 1, $"bad message {bad.TopicPartitionOffset} is not in the DLQ");
            Assert.Equal(bad.Message.Value ?? [], match[0].Message.Value ?? []);
            Assert.Equal(bad.Message.Key ?? [], match[0].Message.Key ?? []);
            Assert.False(string.IsNullOrEmpty(Header(match[0], DeadLetters.ReasonHeader)));
        }

        return new VerificationSummary(validMessages.Values.Sum(), invalid.Count, outcomes.Count, unpublished, model.ProductIds.Count);
    }

    private static void AssertStock(string productId, ReferenceStock expected, long onHand, long reserved, long inTransit, long available, long version, IReadOnlyDictionary<string, long> locations)
    {
        var because = $"product {productId}";
        Assert.True(expected.Version == version, $"{because}: version {version}, model {expected.Version}");
        Assert.True(expected.OnHand == onHand, $"{because}: onHand {onHand}, model {expected.OnHand}");
        Assert.True(expected.Reserved == reserved, $"{because}: reserved {reserved}, model {expected.Reserved}");
        Assert.True(expected.InTransit == inTransit, $"{because}: inTransit {inTransit}, model {expected.InTransit}");
        Assert.True(expected.Available == available, $"{because}: available {available}, model {expected.Available}");
        var expectedLocations = expected.Locations.Where(l => l.Value != 0).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        var actualLocations = locations.Where(l => l.Value != 0).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        Assert.True(expectedLocations.SequenceEqual(actualLocations), $"{because}: locations differ");
    }

    private static string? Header(ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
