using System.Text.Json.Serialization;

namespace InventoryOrleans.Api.Health;

/// <summary>One check of the <c>/readyz</c> body and what it found.</summary>
public sealed record ReadinessCheck(bool Ok, string Detail)
{
    /// <summary>
    /// What the check adds beside its detail, written as fields of its own after it (the silo's <c>partitions</c> check
    /// lists the partitions it consumes, its <c>state</c> check the rolled-back <c>products</c>); none when null.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, object>? Data { get; init; }
}
