namespace InventoryOrleans.Grains.Interfaces.Kafka;

/// <summary>The one conversion from the options' <see cref="TimeSpan"/>s to the Confluent clients' integer <c>…Ms</c> settings.</summary>
public static class KafkaDurations
{
    /// <summary>Whole milliseconds, capped at <see cref="int.MaxValue"/> (the validators keep settings far below it).</summary>
    public static int ToKafkaMilliseconds(this TimeSpan value) => (int)Math.Clamp(value.TotalMilliseconds, 0, int.MaxValue);
}
