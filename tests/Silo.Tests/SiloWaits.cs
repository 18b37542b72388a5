using System.Net;
using System.Text.Json;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.TestSupport;
using InventoryOrleans.TestSupport.Kafka;

namespace InventoryOrleans.Silo.Tests;

/// <summary>Polls a silo process's HTTP API and topics until a condition holds, with a deadline.</summary>
public static class SiloWaits
{
    /// <summary>Waits until <c>GET /api/stock/{productId}</c> answers 200 with a stock <paramref name="condition"/> accepts.</summary>
    public static async Task<JsonElement> StockAsync(HttpClient http, SiloProcess silo, string productId, Func<JsonElement, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(silo);
        JsonElement stock = default;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    var (status, body) = await silo.GetStockAsync(http, productId);
                    stock = body;
                    return status == HttpStatusCode.OK && condition(body);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            SiloTimeouts.Arrival,
            $"{silo.Name} serves the expected stock of {productId} (last seen: {stock})");
        return stock;
    }

    /// <summary>Waits until <paramref name="topic"/> holds at least <paramref name="count"/> records; returns them as <c>key\tvalue</c>.</summary>
    public static Task<string[]> RecordsAsync(string bootstrap, string topic, int count) =>
        RecordsAsync(bootstrap, topic, records => records.Length >= count, $"{topic} holds {count} records");

    /// <summary>Waits until the records of <paramref name="topic"/> (<c>key\tvalue</c> lines, read with kcat) satisfy <paramref name="condition"/>.</summary>
    public static async Task<string[]> RecordsAsync(string bootstrap, string topic, Func<string[], bool> condition, string because)
    {
        ArgumentNullException.ThrowIfNull(condition);
        string[] records = [];
        await Eventually.TrueAsync(
            async () => condition(records = await Kcat.ConsumeAllAsync(bootstrap, topic)),
            SiloTimeouts.Arrival,
            because);
        return records;
    }

    /// <summary>The silos' consumer group (the default <c>Kafka__GroupId</c>).</summary>
    public const string GroupId = "inventory-silo";

    /// <summary>Waits until the silos' group committed the end of every input partition: every input message was decided and published.</summary>
    public static Task AllCommittedAsync(KafkaTestClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Eventually.TrueAsync(
            () => Topics.Inputs.All(topic =>
            {
                var committed = client.Committed(GroupId, topic);
                return client.Ends(topic).All(end => end.Value == 0 || committed.GetValueOrDefault(end.Key) == end.Value);
            }),
            timeout,
            "the group committed the end of every input partition");
    }

    public static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
