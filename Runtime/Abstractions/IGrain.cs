namespace InventoryOrleans.Runtime;

/// <summary>Marker for grain interfaces; as in Orleans, every grain interface derives from a keyed variant.</summary>
public interface IGrain;
