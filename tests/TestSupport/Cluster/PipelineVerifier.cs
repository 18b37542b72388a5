using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Ingest.DeadLetter;
using InventoryOrleans.Grains.Interfaces.Json;
using InventoryOrleans.TestSupport.Kafka;
using InventoryOrleans.TestSupport.Reference;

namespace InventoryOrleans.TestSupport.Cluster;

/// <summary>
/// Checks a finished run against a replay of the input topics through the reference model:
/// <list type="bullet">
/// <item>every valid input message has an outcome record, and every outcome record of a message (a replay after a
/// crash repeats them) equals the model's answer for that message: status, reason and version. So every eventId has
/// its decision (Applied or Rejected) on the topic, exactly one, even when a silo died between persisting and
/// publishing it, and no record contradicts another.</item>
/// <item>every product's highest-version <c>inventory.net-stock</c> record and its persisted state equal the model.</item>
/// <item>every low-stock alert the model raised is on <c>inventory.alerts</c> and no other, the records of one crossing
/// are identical (its <c>at</c> too), and the last net stock's <c>lowStock</c> equals the model's.</item>
/// <item>every invalid input message is in <c>inventory.dlq</c>, unchanged, with the headers of docs/CONTRACTS.md.</item>
/// </list>
/// The topics are read <c>read_committed</c>. <paramref name="strict"/> (the silos ran with Kafka transactions) adds the
/// rules of docs/CONTRACTS.md "Exactly once": exactly one outcome record per input message, each product's net-stock
/// versions strictly rising in topic order (no repeat, nothing older after something newer), one record per
/// low-stock crossing, one dead letter per bad message. Without it identical repeats are allowed.
/// </summary>
public sealed class PipelineVerifier(KafkaTestClient client, StoredProducts storage, bool strict = true)
{
    public async Task<VerificationSummary> VerifyAsync()
    {
        var model = new InventoryReferenceModel();
        var expected = new Dictionary<(string Topic, int Partition, long Offset), (string EventId, ReferenceOutcome Outcome)>();
        var decided = new HashSet<string>(StringComparer.Ordinal);
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
                var outcome = model.Apply(e, record.Topic, record.Partition.Value, record.Offset.Value, now);
                expected[(record.Topic, record.Partition.Value, record.Offset.Value)] = (e.EventId, outcome);
                if (outcome.Status != OutcomeStatus.Duplicate)
                {
                    decided.Add(e.EventId);
                }
            }
        }

        var outcomes = client.ReadAll(Topics.Outcomes).Select(r => JsonDocument.Parse(r.Message.Value).RootElement.Clone()).ToList();
        var byMessage = outcomes
            .GroupBy(o => (o.GetProperty("topic").GetString()!, o.GetProperty("partition").GetInt32(), o.GetProperty("offset").GetInt64()))
            .ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (position, (eventId, outcome)) in expected)
        {
            Assert.True(byMessage.TryGetValue(position, out var records), $"message {position} ({eventId}) has no outcome");
            Assert.True(!strict || records!.Count == 1, $"message {position} ({eventId}) has {records!.Count} outcome records; a read_committed reader must see exactly one");
            foreach (var actual in records!)
            {
                var because = $"outcome of message {position} ({eventId})";
                Assert.True(eventId == actual.GetProperty("eventId").GetString(), $"{because}: eventId {actual.GetProperty("eventId").GetString()}");
                Assert.True(outcome.Status.ToString() == actual.GetProperty("status").GetString(), $"{because}: status {actual.GetProperty("status").GetString()}, model {outcome.Status}");
                Assert.True(outcome.Reason == actual.GetProperty("reason").GetString(), $"{because}: reason {actual.GetProperty("reason").GetString()}, model {outcome.Reason}");
                Assert.True(outcome.Version == actual.GetProperty("version").GetInt64(), $"{because}: version {actual.GetProperty("version").GetInt64()}, model {outcome.Version}");
            }
        }

        Assert.True(byMessage.Count == expected.Count, $"{byMessage.Count} messages have outcomes, {expected.Count} valid messages were consumed");

        var netStockRecords = client.ReadAll(Topics.NetStock)
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement.Clone())
            .GroupBy(r => r.GetProperty("productId").GetString()!)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (strict)
        {
            foreach (var (productId, records) in netStockRecords)
            {
                // A product's records are on one partition, read in offset order.
                var versions = records.Select(r => r.GetProperty("version").GetInt64()).ToList();
                Assert.True(
                    versions.Zip(versions.Skip(1)).All(v => v.First < v.Second),
                    $"product {productId}: net-stock versions in topic order [{string.Join(", ", versions)}] are not strictly rising");
            }
        }

        var netStock = netStockRecords.ToDictionary(p => p.Key, p => p.Value.MaxBy(r => r.GetProperty("version").GetInt64()), StringComparer.Ordinal);
        foreach (var productId in model.ProductIds)
        {
            var stock = model.Stock(productId);
            if (stock.Version > 0)
            {
                Assert.True(netStock.TryGetValue(productId, out var record), $"product {productId} has no net-stock record");
                AssertStock(productId, stock, record.GetProperty("onHand").GetInt64(), record.GetProperty("reserved").GetInt64(),
                    record.GetProperty("inTransit").GetInt64(), record.GetProperty("available").GetInt64(), record.GetProperty("version").GetInt64(),
                    record.GetProperty("locations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
            }

            var stored = await storage.StockAsync(productId);
            if (stock.Version == 0 && stored is null)
            {
                continue;
            }

            Assert.True(stored is not null, $"product {productId} has no persisted state");
            AssertStock(productId, stock, stored!.OnHand, stored.Reserved, stored.InTransit, stored.Available, stored.Version, stored.Locations);
        }

        // Low stock: every alert the model raised is on inventory.alerts, and nothing else (a repeat must be identical).
        var alertRecords = client.ReadAll(Topics.Alerts);
        foreach (var crossing in alertRecords.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key) + "@" + JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("version").GetInt64()))
        {
            var distinct = crossing.Select(r => Encoding.UTF8.GetString(r.Message.Value)).Distinct().ToList();
            Assert.True(distinct.Count == 1, $"alerts of {crossing.Key} differ: {string.Join(" / ", distinct)}");
            Assert.True(!strict || crossing.Count() == 1, $"the crossing {crossing.Key} is on inventory.alerts {crossing.Count()} times; a read_committed reader must see it once");
        }

        var alerts = alertRecords
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement.Clone())
            .GroupBy(r => r.GetProperty("productId").GetString()!)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var productId in model.ProductIds)
        {
            var expectedAlerts = model.Alerts(productId).ToHashSet();
            var actualAlerts = alerts.GetValueOrDefault(productId) ?? [];
            var actual = actualAlerts
                .Select(a => new ReferenceAlert(
                    a.GetProperty("state").GetString() == "Low" ? LowStockState.Low : LowStockState.Recovered,
                    a.GetProperty("available").GetInt64(),
                    a.GetProperty("threshold").GetInt64(),
                    a.GetProperty("version").GetInt64()))
                .ToHashSet();
            Assert.True(expectedAlerts.SetEquals(actual), $"product {productId}: alerts [{string.Join(", ", actual)}], model [{string.Join(", ", expectedAlerts)}]");
            if (model.Stock(productId).Version > 0)
            {
                Assert.True(netStock[productId].GetProperty("lowStock").GetBoolean() == model.IsLow(productId), $"product {productId}: lowStock differs from the model");
            }
        }

        var deadLetters = client.ReadAll(Topics.DeadLetter);
        foreach (var bad in invalid)
        {
            var match = deadLetters.Where(d => Header(d, DeadLetters.TopicHeader) == bad.Topic
                    && Header(d, DeadLetters.PartitionHeader) == bad.Partition.Value.ToString(CultureInfo.InvariantCulture)
                    && Header(d, DeadLetters.OffsetHeader) == bad.Offset.Value.ToString(CultureInfo.InvariantCulture))
                .ToList();
            Assert.True(match.Count >= 1, $"bad message {bad.TopicPartitionOffset} is not in the DLQ");
            Assert.True(!strict || match.Count == 1, $"bad message {bad.TopicPartitionOffset} is in the DLQ {match.Count} times; a read_committed reader must see it once");
            Assert.Equal(bad.Message.Value ?? [], match[0].Message.Value ?? []);
            Assert.Equal(bad.Message.Key ?? [], match[0].Message.Key ?? []);
            Assert.False(string.IsNullOrEmpty(Header(match[0], DeadLetters.ReasonHeader)));
        }

        return new VerificationSummary(expected.Count, invalid.Count, outcomes.Count, decided.Count, model.ProductIds.Count, model.ProductIds.Sum(p => model.Alerts(p).Count));
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
