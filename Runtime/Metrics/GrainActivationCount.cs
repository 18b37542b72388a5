namespace InventoryOrleans.Runtime;

/// <summary>How many activations of one grain type are alive.</summary>
public sealed record GrainActivationCount(string GrainType, int Activations);
