namespace InventoryOrleans.DevBroker.Groups;

/// <summary>Which protocol (assignor) a group uses: one every member supports, chosen by the members' preferences.</summary>
public static class GroupProtocolSelection
{
    /// <summary>
    /// True when a joining member fits the group: a protocol type and at least one protocol, and when others are
    /// in the group, the same protocol type and a protocol all of them support too.
    /// </summary>
    public static bool Supports(JoinGroupCommand command, string? groupProtocolType, IEnumerable<GroupMember> others)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.ProtocolType.Length == 0 || command.Protocols.Count == 0)
        {
            return false;
        }

        var existing = others.ToList();
        return existing.Count == 0
            || (command.ProtocolType == groupProtocolType
                && command.Protocols.Any(p => existing.All(m => m.Protocols.Any(o => o.Name == p.Name))));
    }

    /// <summary>
    /// Every member votes for its most preferred protocol among those all members support; most votes wins, ties
    /// go to the earlier one in the first member's list (Kafka breaks ties arbitrarily).
    /// </summary>
    public static string Select(string groupId, IReadOnlyCollection<GroupMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var candidates = members
            .Select(m => m.Protocols.Select(p => p.Name))
            .Aggregate((all, next) => all.Intersect(next, StringComparer.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException($"Group {groupId} has no protocol common to all members; JoinGroup should have refused the last one.");
        }

        var votes = members
            .Select(m => m.Protocols.First(p => candidates.Contains(p.Name)).Name)
            .GroupBy(name => name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var best = votes.Values.Max();
        return members.First().Protocols.Select(p => p.Name).First(name => votes.GetValueOrDefault(name) == best);
    }
}
