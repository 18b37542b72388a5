namespace InventoryOrleans.Runtime;

/// <summary>A grain identified by a string key (1–128 characters), like Orleans' <c>IGrainWithStringKey</c>.</summary>
public interface IGrainWithStringKey : IGrain;
