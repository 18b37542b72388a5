namespace InventoryOrleans.Runtime;

/// <summary>Hands out references to grains; the activation is created lazily on the first call.</summary>
public interface IGrainFactory
{
    /// <summary>Returns a reference to the grain of <typeparamref name="TGrainInterface"/> with <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is empty or longer than 128 characters.</exception>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
