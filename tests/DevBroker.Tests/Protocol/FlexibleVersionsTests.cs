using InventoryOrleans.DevBroker.Handlers;
using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Protocol;

/// <summary>Flexible versions byte for byte: request header v2, response header v1 (v0 for ApiVersions), compact
/// strings and arrays, tagged fields — and ApiVersions advertising exactly what the handlers serve.</summary>
public sealed class FlexibleVersionsTests
{
    [Fact]
    public async Task ApiVersions_V3_ResponseHeaderV0CompactBodyListingEveryHandler()
    {
        await using var broker = await TestBroker.StartAsync();
        using var connection = await RawKafkaConnection.ConnectAsync(broker.Port);

        await connection.SendAsync(ApiKey.ApiVersions, 3, 5, w =>
        {
            w.WriteCompactString("raw-test");
            w.WriteCompactString("1.0");
            w.WriteEmptyTaggedFields();
        }, flexible: true);
        var (correlationId, body) = (await connection.ReceiveAsync())!.Value;

        // Response header v0: the body starts right after the correlation id, no tagged-field byte.
        Assert.Equal(5, correlationId);
        Assert.Equal(ErrorCode.None, (ErrorCode)body.ReadInt16());
        var count = body.ReadCompactArrayLength();
        var advertised = new List<(ApiKey, short, short)>();
        for (var i = 0; i < count; i++)
        {
            advertised.Add(((ApiKey)body.ReadInt16(), body.ReadInt16(), body.ReadInt16()));
            body.SkipTaggedFields();
        }

        Assert.Equal(0, body.ReadInt32()); // throttle time
        body.SkipTaggedFields();
        Assert.Equal(0, body.Remaining);
        var served = BrokerHandlers.Create().OrderBy(h => h.Key).Select(h => (h.Key, h.MinVersion, h.MaxVersion)).ToList();
        Assert.Equal(served, advertised);
        Assert.Contains((ApiKey.ApiVersions, (short)0, (short)3), advertised);
        Assert.Contains((ApiKey.InitProducerId, (short)0, (short)4), advertised);
        Assert.Contains((ApiKey.AddPartitionsToTxn, (short)0, (short)3), advertised);
        Assert.Contains((ApiKey.AddOffsetsToTxn, (short)0, (short)3), advertised);
        Assert.Contains((ApiKey.EndTxn, (short)0, (short)3), advertised);
        Assert.Contains((ApiKey.TxnOffsetCommit, (short)0, (short)3), advertised);
        Assert.Contains((ApiKey.OffsetFetch, (short)0, (short)7), advertised);
    }
}
