namespace InventoryOrleans.Runtime;

/// <summary>The rule for grain keys: 1–128 characters (as the productId in CONTRACTS.md).</summary>
public static class GrainKey
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when <paramref name="key"/> is not a valid grain key.</summary>
    public static void Validate(string key, string paramName = "key")
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A grain key must not be null or empty; pass the entity's id (1–128 characters).", paramName);
        }

        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"A grain key must be at most {MaxLength} characters; this one has {key.Length}.", paramName);
        }
    }
}
