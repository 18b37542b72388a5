namespace InventoryOrleans.Runtime;

/// <summary>What an activation knows about itself; implemented by the runtime's activation.</summary>
internal interface IGrainContext
{
    string GrainType { get; }

    string Key { get; }

    IGrainFactory GrainFactory { get; }

    IReminderTable Reminders { get; }

    void DeactivateOnIdle();
}
