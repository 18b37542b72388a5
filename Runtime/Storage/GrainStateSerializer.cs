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
}
