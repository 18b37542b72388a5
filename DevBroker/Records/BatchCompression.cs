using System.IO.Compression;

namespace InventoryOrleans.DevBroker.Records;

/// <summary>The records section of a batch, compressed or not. Only gzip can be (de)compressed here: .NET has no snappy,
/// lz4 or zstd, so batches in those codecs are opaque to the broker (see SKIPPED.md).</summary>
public static class BatchCompression
{
    /// <summary>Attribute bits 0–2: none 0, gzip 1, snappy 2, lz4 3, zstd 4.</summary>
    public const short CodecMask = 0x07;

    public const short Gzip = 1;

    /// <summary>A records section larger than this once decompressed is treated as unreadable (a gzip bomb).</summary>
    public const int MaxDecompressedBytes = 256 * 1024 * 1024;

    public static short Codec(short attributes) => (short)(attributes & CodecMask);

    /// <summary>True for the codecs this broker can read and write: none and gzip.</summary>
    public static bool CanRead(short attributes) => Codec(attributes) is 0 or Gzip;

    /// <summary>The uncompressed records section; throws <see cref="InvalidDataException"/> when gzip data is bad or too large.</summary>
    public static ReadOnlyMemory<byte> Decompress(short attributes, ReadOnlyMemory<byte> records)
    {
        if (Codec(attributes) == 0)
        {
            return records;
        }

        if (Codec(attributes) != Gzip)
        {
            throw new NotSupportedException($"Compression codec {Codec(attributes)} cannot be read by this broker.");
        }

        using var input = new MemoryStream(records.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            if (output.Length + read > MaxDecompressedBytes)
            {
                throw new InvalidDataException($"Gzip records section larger than {MaxDecompressedBytes} bytes once decompressed.");
            }

            output.Write(buffer, 0, read);
        }

        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }

    /// <summary>The records section in the batch's codec (none or gzip).</summary>
    public static byte[] Compress(short attributes, ReadOnlySpan<byte> records)
    {
        if (Codec(attributes) == 0)
        {
            return records.ToArray();
        }

        if (Codec(attributes) != Gzip)
        {
            throw new NotSupportedException($"Compression codec {Codec(attributes)} cannot be written by this broker.");
        }

        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(records);
        }

        return output.ToArray();
    }
}
