namespace InventoryOrleans.DevBroker.Protocol;

/// <summary>A request that cannot be parsed (truncated, negative lengths, garbage); the connection closes, no state changes.</summary>
public sealed class KafkaProtocolException : Exception
{
    public KafkaProtocolException()
    {
    }

    public KafkaProtocolException(string message)
        : base(message)
    {
    }

    public KafkaProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
