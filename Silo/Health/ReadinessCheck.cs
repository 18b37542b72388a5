using System.Text.Json.Serialization;

namespace InventoryOrleans.Silo.Health;

/// <summary>One readiness check and what it found.</summary>
/// <param name="Partitions">For the partitions check: the input partition numbers this silo consumes (the same number
/// of every input topic), so an operator sees how the silos split them; absent for the other checks.</param>
public sealed record ReadinessCheck(
    bool Ok,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? Partitions = null);
