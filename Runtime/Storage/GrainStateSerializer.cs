using System.Text.Json;

namespace InventoryOrleans.Runtime;

/// <summary>Turns grain state into JSON (System.Text.Json, web defaults) and back; one instance per runtime so options are not global.</summary>
public sealed class GrainStateSerializer
{
    private readonly JsonSerializerOptions _options;

    public GrainStateSerializer()
        : this(new JsonSerializerOptions(JsonSerializerDefaults.Web))
    {
    }

    public GrainStateSerializer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public byte[] Serialize<T>(T state) => JsonSerializer.SerializeToUtf8Bytes(state, _options);

    public T Deserialize<T>(byte[] data)
        where T : new() =>
        JsonSerializer.Deserialize<T>(data, _options) ?? new T();

    /// <summary>
    /// The state a stored record holds: a new <typeparamref name="T"/> when it holds none; for an <see cref="ISegmentedState"/>
    /// the head completed with the record's segments (deserializing <see cref="GrainStateRecord.Data"/> alone gives the head only).
    /// </summary>
    public T Deserialize<T>(GrainStateRecord record)
        where T : new()
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Data is null)
        {
            return new T();
        }

        var state = Deserialize<T>(record.Data);
        if (state is ISegmentedState segmented)
        {
            segmented.RestoreSegments(record.Segments);
        }

        return state;
    }
}
