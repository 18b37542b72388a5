using System.Buffers;
using System.Text.Json;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// The JSON of a window's open entries (<c>[entry,entry,…]</c>, in <see cref="SeenEventCodec"/> form), appended to as
/// entries arrive. The open segment is part of every head write of its product, and encoding it whole each time was the
/// hottest code of the ingest (5–6 % of its CPU at 10,000 events/s, with 32-entry segments half full on average); kept
/// this way each entry is encoded once, and a sealed segment's encoding is these bytes. The bytes are exactly what
/// <see cref="SeenEventCodec.WriteEntries"/> writes for the same entries (tests hold them equal). Window entries do
/// not change once they are in the window; an entry leaving the open segment other than by sealing drops the cache.
/// The buffer is kept from one open segment to the next (it grows to about one segment's JSON, 3–4 KB for a product
/// that has sealed one): dropped at each seal and grown again from its first size, it cost 400 B more allocation per
/// event at 10,000 products.
/// </summary>
internal sealed class OpenSegmentJson
{
    private const int InitialSize = 128;

    // One buffer and writer per thread for encoding an entry: an entry is encoded on one thread, start to end.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_entry;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private byte[] _bytes = new byte[InitialSize];
    private int _length;

    private OpenSegmentJson()
    {
        Clear();
    }

    /// <summary>The array of the entries so far, a whole JSON value.</summary>
    public ReadOnlySpan<byte> Json => _bytes.AsSpan(0, _length);

    public static OpenSegmentJson Of(IEnumerable<SeenEvent> entries)
    {
        var json = new OpenSegmentJson();
        foreach (var seen in entries)
        {
            json.Append(seen);
        }

        return json;
    }

    public void Append(SeenEvent seen)
    {
        var entry = Encode(seen);

        // "[…]" becomes "[…,entry]": the closing bracket is overwritten by the separator (none before the first entry,
        // while the bytes are "[]").
        var separator = _length == 2 ? 0 : 1;
        var needed = _length + separator + entry.Length;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
        }

        var at = _length - 1;
        if (separator == 1)
        {
            _bytes[at++] = (byte)',';
        }

        entry.CopyTo(_bytes.AsSpan(at));
        at += entry.Length;
        _bytes[at++] = (byte)']';
        _length = at;
    }

    /// <summary>Back to no entries, keeping the buffer for the next open segment.</summary>
    public void Clear()
    {
        _bytes[0] = (byte)'[';
        _bytes[1] = (byte)']';
        _length = 2;
    }

    private static ReadOnlySpan<byte> Encode(SeenEvent seen)
    {
        var buffer = t_entry ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        SeenEventCodec.WriteEntry(writer, seen);
        writer.Flush();
        return buffer.WrittenSpan;
    }
}
