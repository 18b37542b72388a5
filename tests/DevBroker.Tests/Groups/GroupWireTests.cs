using InventoryOrleans.DevBroker.Protocol;
using InventoryOrleans.DevBroker.Tests.Support;

namespace InventoryOrleans.DevBroker.Tests.Groups;

/// <summary>
/// The group APIs in the old and batch versions the Confluent tests don't reach (kafka-python speaks FindCoordinator v0
/// and JoinGroup v2, kafkajs LeaveGroup v3, lag tools OffsetFetch with null topics), byte for byte over a raw socket.
/// </summary>
public sealed class GroupWireTests : IAsyncLifetime
{
    private DevBrokerServer? _server;
    private RawKafkaConnection? _connection;
    private int _correlationId;

    private RawKafkaConnection Connection => _connection ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await TestBroker.StartAsync();
        _connection = await RawKafkaConnection.ConnectAsync(_server.Port);
        await RequestAsync(ApiKey.CreateTopics, 0, RawRequests.CreateTopic("t", 2));
    }

    public async Task DisposeAsync()
    {
        _connection?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GroupApis_OldVersionsAndBatchLeave_AnsweredInTheirLayouts()
    {
        var coordinator = await RequestAsync(ApiKey.FindCoordinator, 0, w => w.WriteString("wg"));
        Assert.Equal(ErrorCode.None, (ErrorCode)coordinator.ReadInt16());
        Assert.Equal(0, coordinator.ReadInt32());
        Assert.Equal("127.0.0.1", coordinator.ReadString());
        Assert.Equal(_server!.Port, coordinator.ReadInt32());

        var join = await RequestAsync(ApiKey.JoinGroup, 0, w =>
        {
            w.WriteString("wg");
            w.WriteInt32(10_000);
            w.WriteString("");
            w.WriteString("consumer");
            w.WriteArrayLength(1);
            w.WriteString("range");
            w.WriteBytes([1, 2]);
        });
        Assert.Equal(ErrorCode.None, (ErrorCode)join.ReadInt16());
        Assert.Equal(1, join.ReadInt32());
        Assert.Equal("range", join.ReadString());
        var leader = join.ReadString();
        var memberId = join.ReadString();
        Assert.Equal(leader, memberId);
        Assert.Equal(1, join.ReadArrayLength());
        Assert.Equal(memberId, join.ReadString());
        Assert.Equal([1, 2], join.ReadBytes().ToArray());

        var sync = await RequestAsync(ApiKey.SyncGroup, 0, w =>
        {
            w.WriteString("wg");
            w.WriteInt32(1);
            w.WriteString(memberId);
            w.WriteArrayLength(1);
            w.WriteString(memberId);
            w.WriteBytes([9]);
        });
        Assert.Equal(ErrorCode.None, (ErrorCode)sync.ReadInt16());
        Assert.Equal([9], sync.ReadBytes().ToArray());

        var heartbeat = await RequestAsync(ApiKey.Heartbeat, 0, w =>
        {
            w.WriteString("wg");
            w.WriteInt32(1);
            w.WriteString(memberId);
        });
        Assert.Equal(ErrorCode.None, (ErrorCode)heartbeat.ReadInt16());

        var commit = await RequestAsync(ApiKey.OffsetCommit, 2, w =>
        {
            w.WriteString("wg");
            w.WriteInt32(1);
            w.WriteString(memberId);
            w.WriteInt64(-1);
            w.WriteArrayLength(2);
            w.WriteString("t");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt64(5);
            w.WriteNullableString("md");
            w.WriteString("nope");
            w.WriteArrayLength(1);
            w.WriteInt32(0);
            w.WriteInt64(5);
            w.WriteNullableString(null);
        });
        Assert.Equal(2, commit.ReadArrayLength());
        Assert.Equal(("t", 1, 0, ErrorCode.None), (commit.ReadString(), commit.ReadArrayLength(), commit.ReadInt32(), (ErrorCode)commit.ReadInt16()));
        Assert.Equal(("nope", 1, 0, ErrorCode.UnknownTopicOrPartition), (commit.ReadString(), commit.ReadArrayLength(), commit.ReadInt32(), (ErrorCode)commit.ReadInt16()));

        // Null topics (v2+): every committed offset of the group.
        var fetch = await RequestAsync(ApiKey.OffsetFetch, 2, w =>
        {
            w.WriteString("wg");
            w.WriteArrayLength(-1);
        });
        Assert.Equal(1, fetch.ReadArrayLength());
        Assert.Equal(("t", 1, 0, 5L, "md", ErrorCode.None), (fetch.ReadString(), fetch.ReadArrayLength(), fetch.ReadInt32(), fetch.ReadInt64(), fetch.ReadNullableString(), (ErrorCode)fetch.ReadInt16()));
        Assert.Equal(ErrorCode.None, (ErrorCode)fetch.ReadInt16());

        var describe = await RequestAsync(ApiKey.DescribeGroups, 0, w =>
        {
            w.WriteArrayLength(1);
            w.WriteString("wg");
        });
        Assert.Equal(1, describe.ReadArrayLength());
        Assert.Equal((ErrorCode.None, "wg", "Stable", "consumer", "range"), ((ErrorCode)describe.ReadInt16(), describe.ReadString(), describe.ReadString(), describe.ReadString(), describe.ReadString()));
        Assert.Equal(1, describe.ReadArrayLength());
        Assert.Equal((memberId, "raw", "/127.0.0.1"), (describe.ReadString(), describe.ReadString(), describe.ReadString()));
        Assert.Equal([1, 2], describe.ReadBytes().ToArray());
        Assert.Equal([9], describe.ReadBytes().ToArray());

        var list = await RequestAsync(ApiKey.ListGroups, 0);
        Assert.Equal((ErrorCode.None, 1), ((ErrorCode)list.ReadInt16(), list.ReadArrayLength()));
        Assert.Equal(("wg", "consumer"), (list.ReadString(), list.ReadString()));

        var leave = await RequestAsync(ApiKey.LeaveGroup, 3, w =>
        {
            w.WriteString("wg");
            w.WriteArrayLength(2);
            w.WriteString(memberId);
            w.WriteNullableString(null);
            w.WriteString("ghost");
            w.WriteNullableString(null);
        });
        Assert.Equal(0, leave.ReadInt32());
        Assert.Equal(ErrorCode.None, (ErrorCode)leave.ReadInt16());
        Assert.Equal(2, leave.ReadArrayLength());
        Assert.Equal((memberId, null, ErrorCode.None), (leave.ReadString(), leave.ReadNullableString(), (ErrorCode)leave.ReadInt16()));
        Assert.Equal(("ghost", null, ErrorCode.UnknownMemberId), (leave.ReadString(), leave.ReadNullableString(), (ErrorCode)leave.ReadInt16()));

        var delete = await RequestAsync(ApiKey.DeleteGroups, 0, w =>
        {
            w.WriteArrayLength(2);
            w.WriteString("wg");
            w.WriteString("never-was");
        });
        Assert.Equal((0, 2), (delete.ReadInt32(), delete.ReadArrayLength()));
        Assert.Equal(("wg", ErrorCode.None), (delete.ReadString(), (ErrorCode)delete.ReadInt16()));
        Assert.Equal(("never-was", ErrorCode.GroupIdNotFound), (delete.ReadString(), (ErrorCode)delete.ReadInt16()));
    }

    [Fact]
    public async Task JoinGroup_V4WithoutMemberId_AnswersMemberIdRequiredWithNonNullFields()
    {
        var join = await RequestAsync(ApiKey.JoinGroup, 4, w =>
        {
            w.WriteString("wg4");
            w.WriteInt32(10_000);
            w.WriteInt32(20_000);
            w.WriteString("");
            w.WriteString("consumer");
            w.WriteArrayLength(1);
            w.WriteString("roundrobin");
            w.WriteBytes([]);
        });
        Assert.Equal(0, join.ReadInt32());
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)join.ReadInt16());
        Assert.Equal(-1, join.ReadInt32());
        Assert.Equal("", join.ReadString());
        Assert.Equal("", join.ReadString());
        Assert.StartsWith("raw-", join.ReadString(), StringComparison.Ordinal);
        Assert.Equal(0, join.ReadArrayLength());
    }

    private async Task<KafkaReader> RequestAsync(ApiKey key, short version, Action<KafkaWriter>? body = null)
    {
        var correlationId = ++_correlationId;
        await Connection.SendAsync(key, version, correlationId, body);
        var response = await Connection.ReceiveAsync() ?? throw new InvalidOperationException($"{key} v{version}: the broker closed the connection.");
        Assert.Equal(correlationId, response.CorrelationId);
        return response.Body;
    }
}
