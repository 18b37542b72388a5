namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>A compatibility level set (or, with a null <see cref="Level"/>, removed) for a subject, or globally when
/// <see cref="Subject"/> is null.</summary>
internal sealed record ConfigChange(string? Subject, CompatibilityLevel? Level) : RegistryChange;
