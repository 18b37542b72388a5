using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using InventoryOrleans.DevBroker.Groups;
using InventoryOrleans.Ingest.Kafka;
using InventoryOrleans.TestSupport;

namespace InventoryOrleans.DevBroker.Tests.Groups;

/// <summary>Consumer groups driven by real clients (Confluent.Kafka 1.9.3 on librdkafka, kcat) against a running DevBroker.</summary>
public sealed class GroupClientTests : IAsyncLifetime
{
    private const int Partitions = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("devbroker-group-client-").FullName;
    private DevBrokerServer? _server;

    private DevBrokerServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await StartBrokerAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    [Theory]
    [InlineData("range")]
    [InlineData("cooperative-sticky")]
    public async Task ConsumerGroup_MemberLeavesAndAnotherCrashes_EveryRecordReadExactlyOnceBeyondRedeliveryAfterLastCommit(string strategy)
    {
        var topic = await CreateTopicAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var ledger = new GroupDeliveryLedger();
        var produced = new Dictionary<(int, long), string>();
        var a = new GroupConsumerRunner("a", ConsumerConfig(group, strategy), topic, ledger);
        var b = new GroupConsumerRunner("b", ConsumerConfig(group, strategy), topic, ledger, commitEvery: 500);
        var c = new GroupConsumerRunner("c", ConsumerConfig(group, strategy), topic, ledger);
        GroupConsumerRunner[] all = [a, b, c];
        await Eventually.TrueAsync(() => all.All(r => r.Assigned.Count > 0), Deadline, "all three members hold partitions");
        Assert.Equal(Partitions, all.Sum(r => r.Assigned.Count));

        await ProduceAsync(topic, 0, 10_000, produced);
        await Eventually.TrueAsync(() => ledger.DistinctCount == 10_000, Deadline, "the group read the first 10,000 records");
        Assert.All(all, r => Assert.True(ledger.DeliveredBy(r.Name) > 0, $"{r.Name} read records"));

        // A leaves: LeaveGroup, the others take its partitions at once.
        await a.CloseAsync().WaitAsync(Deadline);
        await ProduceAsync(topic, 10_000, 10_000, produced);
        await Eventually.TrueAsync(() => ledger.DistinctCount == 20_000, Deadline, "b and c read the next 10,000 records");

        // B dies without a word mid-stream: its partitions move to C once its 6 s session runs out.
        var crash = b.CrashAsync();
        await ProduceAsync(topic, 20_000, 10_000, produced);
        await crash.WaitAsync(Deadline);
        await Eventually.TrueAsync(() => ledger.DistinctCount == 30_000, Deadline, "c read every remaining record after b's session expired");
        Assert.Equal(Partitions, c.Assigned.Count);

        var description = Server.Services.Get<GroupCoordinator>().Describe([group])[0];
        Assert.Equal("Stable", description.State);
        Assert.Equal(strategy, description.ProtocolName);
        Assert.Single(description.Members);

        await c.CloseAsync().WaitAsync(Deadline);
        var (problems, redeliveries) = ledger.Verify(produced);
        Assert.Empty(problems);
        Assert.True(redeliveries >= 1, "b crashed holding an uncommitted record, which c must have read again");

        // Everything read was committed: a new member would start at the end of every partition.
        var committed = Server.Services.Get<GroupCoordinator>().FetchOffsets(group, [new OffsetFetchTopic(topic, Enumerable.Range(0, Partitions).ToList())]);
        var ends = produced.Keys.GroupBy(k => k.Item1).ToDictionary(g => g.Key, g => g.Max(k => k.Item2) + 1);
        Assert.All(committed, o => Assert.Equal(ends[o.Partition], o.Offset));
    }

    [Theory]
    [InlineData("range")]
    [InlineData("roundrobin")]
    [InlineData("cooperative-sticky")]
    public async Task ConsumerGroup_Assignor_ThreeMembersSplitAllPartitionsAndTwoTakeOverWhenOneLeaves(string strategy)
    {
        var topic = await CreateTopicAsync();
        var group = $"g-{Guid.NewGuid():N}";
        var ledger = new GroupDeliveryLedger();
        GroupConsumerRunner[] members = [.. Enumerable.Range(0, 3).Select(i => new GroupConsumerRunner($"m{i}", ConsumerConfig(group, strategy), topic, ledger))];

        await Eventually.TrueAsync(() => IsSplit(members), Deadline, "three members hold disjoint parts of all 12 partitions");
        var description = Server.Services.Get<GroupCoordinator>().Describe([group])[0];
        Assert.Equal((strategy, 3), (description.ProtocolName, description.Members.Count));
        Assert.All(description.Members, m => Assert.NotEmpty(m.Assignment));

        await members[0].CloseAsync().WaitAsync(Deadline);
        await Eventually.TrueAsync(() => IsSplit(members[1..]), Deadline, "the two remaining members hold all 12 partitions");
        await Task.WhenAll(members[1..].Select(m => m.CloseAsync())).WaitAsync(Deadline);
        Assert.Equal("Empty", Server.Services.Get<GroupCoordinator>().Describe([group])[0].State);
    }

    [Fact]
    public async Task ConsumerGroup_BrokerRestartedFromDataDir_NewMemberResumesFromCommittedOffsets()
    {
        var topic = await CreateTopicAsync(partitions: 3);
        var group = $"g-{Guid.NewGuid():N}";
        var produced = new Dictionary<(int, long), string>();
        await ProduceAsync(topic, 0, 900, produced);
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(group, "range")).Build())
        {
            consumer.Subscribe(topic);
            await Eventually.TrueAsync(() => consumer.Consume(TimeSpan.FromMilliseconds(100)) is not null, Deadline, "the member consumes");
            consumer.Commit([new(topic, 0, 100), new(topic, 1, 200), new(topic, 2, 0)]);
            consumer.Close();
        }

        await Server.DisposeAsync();
        _server = await StartBrokerAsync();

        using var resumed = new ConsumerBuilder<string, string>(ConsumerConfig(group, "range")).Build();
        resumed.Subscribe(topic);
        var first = new Dictionary<int, long>();
        var count = 0;
        var ends = produced.Keys.GroupBy(k => k.Item1).ToDictionary(g => g.Key, g => g.Max(k => k.Item2) + 1);
        var expected = ends[0] - 100 + ends[1] - 200 + ends[2];
        var clock = Stopwatch.StartNew();
        while (count < expected && clock.Elapsed < Deadline)
        {
            if (resumed.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                first.TryAdd(result.Partition.Value, result.Offset.Value);
                Assert.Equal(produced[(result.Partition.Value, result.Offset.Value)], result.Message.Value);
                count++;
            }
        }

        Assert.Equal(expected, count);
        Assert.Equal([100L, 200L, 0L], [first[0], first[1], first[2]]);
        resumed.Close();
    }

    [Fact]
    public async Task Kcat_GroupMode_ConsumesEveryRecordAndCommits()
    {
        var topic = await CreateTopicAsync(partitions: 4);
        var produced = new Dictionary<(int, long), string>();
        await ProduceAsync(topic, 0, 400, produced);

        var kcat = Process.Start(new ProcessStartInfo("kcat")
        {
            ArgumentList = { "-b", Server.BootstrapServers, "-G", "kcat-group", "-X", "auto.offset.reset=earliest", "-c", "400", "-f", "%p:%o:%s\\n", "-q", topic },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = kcat.StandardOutput.ReadToEndAsync();
        var errors = kcat.StandardError.ReadToEndAsync();
        await kcat.WaitForExitAsync().WaitAsync(Deadline);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(kcat.ExitCode == 0, await errors);
        Assert.Equal(400, lines.Distinct().Count());
        Assert.All(lines, line =>
        {
            var parts = line.Split(':', 3);
            Assert.Equal(produced[(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture))], parts[2]);
        });
        var committed = Server.Services.Get<GroupCoordinator>().FetchOffsets("kcat-group", null);
        Assert.Equal(400, committed.Sum(o => o.Offset));
    }

    [Fact]
    public async Task AdminClient_ListDescribeDelete_ReportsGroupsAndDeletesOnlyEmptyOnes()
    {
        var topic = await CreateTopicAsync(partitions: 2);
        var group = $"g-{Guid.NewGuid():N}";
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Server.BootstrapServers }).Build();
        using var member = new ConsumerBuilder<string, string>(ConsumerConfig(group, "roundrobin")).Build();
        member.Subscribe(topic);
        await Eventually.TrueAsync(() => member.Consume(TimeSpan.FromMilliseconds(50)) is null && member.Assignment.Count == 2, Deadline, "the member holds both partitions");
        member.Commit([new TopicPartitionOffset(topic, 0, 0)]);

        var info = admin.ListGroup(group, TimeSpan.FromSeconds(5));
        Assert.Equal(("Stable", "consumer", "roundrobin"), (info.State, info.ProtocolType, info.Protocol));
        var described = Assert.Single(info.Members);
        Assert.Equal("/127.0.0.1", described.ClientHost);
        Assert.NotEmpty(described.MemberMetadata);
        Assert.NotEmpty(described.MemberAssignment);
        Assert.Contains(admin.ListGroups(TimeSpan.FromSeconds(5)), g => g.Group == group && g.ProtocolType == "consumer");

        var refused = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync([group]));
        Assert.Equal(ErrorCode.NonEmptyGroup, Assert.Single(refused.Results).Error.Code);

        member.Close();
        await admin.DeleteGroupsAsync([group]);
        Assert.DoesNotContain(admin.ListGroups(TimeSpan.FromSeconds(5)), g => g.Group == group);
        Assert.Equal(-1, Server.Services.Get<GroupCoordinator>().FetchOffsets(group, [new OffsetFetchTopic(topic, [0])])[0].Offset);
    }

    private static bool IsSplit(IReadOnlyList<GroupConsumerRunner> members)
    {
        var sets = members.Select(m => m.Assigned).ToList();
        return sets.All(s => s.Count > 0) && sets.Sum(s => s.Count) == Partitions && sets.SelectMany(s => s).Distinct().Count() == Partitions;
    }

    private Task<DevBrokerServer> StartBrokerAsync() =>
        DevBrokerServer.StartAsync(new DevBrokerOptions
        {
            Port = 0,
            DataDir = _dataDir,
            GroupMinSessionTimeoutMs = 1000,
            GroupInitialRebalanceDelayMs = 300,
        });

    private ConsumerConfig ConsumerConfig(string group, string strategy) => new()
    {
        BootstrapServers = Server.BootstrapServers,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 300,
        FetchWaitMaxMs = 50,
        PartitionAssignmentStrategy = strategy switch
        {
            "range" => PartitionAssignmentStrategy.Range,
            "roundrobin" => PartitionAssignmentStrategy.RoundRobin,
            _ => PartitionAssignmentStrategy.CooperativeSticky,
        },
    };

    private async Task<string> CreateTopicAsync(int partitions = Partitions)
    {
        var topic = $"t-{Guid.NewGuid():N}";
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Server.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
        return topic;
    }

    private async Task ProduceAsync(string topic, int from, int count, Dictionary<(int, long), string> produced)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Server.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        var deliveries = new List<Task<DeliveryResult<string, string>>>(count);
        for (var i = from; i < from + count; i++)
        {
            var value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = "k" + value, Value = value }));
        }

        foreach (var delivery in await Task.WhenAll(deliveries))
        {
            produced[(delivery.Partition.Value, delivery.Offset.Value)] = delivery.Message.Value;
        }
    }
}
