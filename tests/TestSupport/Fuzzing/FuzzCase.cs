using System.Globalization;

namespace InventoryOrleans.TestSupport.Fuzzing;

/// <summary>
/// One generated input: the message key and value (or request body) made from <see cref="Seed"/>, and what was done to
/// a valid document to get it. The same seed always gives the same bytes, so a failure names the seed to replay.
/// </summary>
public sealed record FuzzCase(int Seed, string Description, byte[] Key, byte[] Value)
{
    /// <summary>For failure messages: the seed, what was done, the size and the first bytes.</summary>
    public override string ToString()
    {
        var head = Value.AsSpan(0, Math.Min(Value.Length, 160));
        return string.Create(CultureInfo.InvariantCulture, $"seed {Seed} [{Description}] {Value.Length} bytes: {Convert.ToHexString(head)}");
    }
}
