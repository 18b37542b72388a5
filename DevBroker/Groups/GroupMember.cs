namespace InventoryOrleans.DevBroker.Groups;

/// <summary>One member of a classic consumer group, with the join or sync request it is waiting on, if any.</summary>
public sealed class GroupMember(string memberId)
{
    public string MemberId { get; } = memberId;

    public string? GroupInstanceId { get; set; }

    public string ClientId { get; set; } = "";

    public string ClientHost { get; set; } = "";

    public TimeSpan SessionTimeout { get; set; }

    public TimeSpan RebalanceTimeout { get; set; }

    public IReadOnlyList<GroupProtocol> Protocols { get; set; } = [];

    /// <summary>What the leader assigned in the current generation; empty until then.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>Last sign of life (join, sync, heartbeat, commit); the session timeout counts from here.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The JoinGroup waiting for the rebalance to complete.</summary>
    public TaskCompletionSource<JoinGroupResult>? PendingJoin { get; set; }

    /// <summary>The SyncGroup waiting for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupResult>? PendingSync { get; set; }

    /// <summary>A member with a request parked here is alive by definition: the client is waiting on us, not silent.</summary>
    public bool IsExpired(DateTimeOffset now) =>
        PendingJoin is null && PendingSync is null && now - LastSeen > SessionTimeout;

    public byte[]? MetadataFor(string protocolName) =>
        Protocols.FirstOrDefault(p => p.Name == protocolName)?.Metadata;

    /// <summary>Same protocols, in the same order, with the same metadata: a rejoin that changes nothing.</summary>
    public bool Matches(IReadOnlyList<GroupProtocol> protocols) =>
        protocols.Count == Protocols.Count
        && protocols.Zip(Protocols).All(p => p.First.Name == p.Second.Name && p.First.Metadata.AsSpan().SequenceEqual(p.Second.Metadata));

    public void CompleteJoin(JoinGroupResult result)
    {
        PendingJoin?.TrySetResult(result);
        PendingJoin = null;
    }

    public void CompleteSync(SyncGroupResult result)
    {
        PendingSync?.TrySetResult(result);
        PendingSync = null;
    }
}
