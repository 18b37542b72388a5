using System.Text.Json.Serialization;

namespace InventoryOrleans.Silo.Health;

/// <summary>One readiness check and what it found.</summary>
/// <param name="Partitions">For the partitions check: the input partition numbers this silo consumes (the same number
/// of every input topic), so an operator sees how the silos split them; absent for the other checks.</param>
/// <param name="Products">For the state check: the rolled-back products, each as <c>productId topic/partition@offset</c>
/// (its last committed message whose decision storage lost); absent for the other checks and when none is.</param>
public sealed record ReadinessCheck(
    bool Ok,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<int>? Partitions = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Products = null);
