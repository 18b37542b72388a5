using System.Buffers.Binary;

namespace InventoryOrleans.Grains.Interfaces.Avro;

/// <summary>
/// Confluent's wire framing of a registry-encoded value: magic byte 0, the writer schema's id (4 bytes, big-endian),
/// then the Avro binary. A JSON value never starts with byte 0, so one byte tells the two input formats apart.
/// </summary>
public static class ConfluentFrame
{
    public const byte MagicByte = 0;

    public const int HeaderLength = 5;

    /// <summary>Whether the value claims to be framed (it may still be too short: see <see cref="TryReadSchemaId"/>).</summary>
    public static bool IsFramed(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == MagicByte;

    public static bool TryReadSchemaId(ReadOnlySpan<byte> value, out int schemaId)
    {
        schemaId = 0;
        if (value.Length < HeaderLength || value[0] != MagicByte)
        {
            return false;
        }

        schemaId = BinaryPrimitives.ReadInt32BigEndian(value[1..HeaderLength]);
        return true;
    }

    /// <summary>The header of a value written with schema <paramref name="schemaId"/>.</summary>
    public static byte[] Header(int schemaId)
    {
        var header = new byte[HeaderLength];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), schemaId);
        return header;
    }
}
