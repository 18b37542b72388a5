namespace InventoryOrleans.Runtime;

/// <summary>Maps a grain interface to the class that implements it; <see cref="GrainType"/> names the type in storage, metrics and deactivation predicates.</summary>
public sealed record GrainRegistration(Type Interface, Type GrainClass, string GrainType);
