using Avro;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// What the registry answered for one schema id: the parsed writer schema, or why a value written with that id cannot
/// be read (<see cref="Json.DlqReasons.UnknownSchema"/> or <see cref="Json.DlqReasons.AvroDecode"/>, with its detail).
/// </summary>
public sealed record WriterSchema(int Id, Schema? Schema, string? ProblemCode = null, string? Problem = null)
{
    public static WriterSchema Unknown(int id, string detail) => new(id, null, Json.DlqReasons.UnknownSchema, detail);
}
